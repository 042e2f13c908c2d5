// acs-check.cjs drives dtmfkit's ACS handler with the official Call
// Automation SDK, @azure/communication-call-automation, for
// bridge/media's TestCallAutomationSDK (run by make sdk-check):
//
//   node acs-check.cjs rest ENDPOINT TOKEN CALL PHONE   start recognition, send "one pound"
//   node acs-check.cjs stop ENDPOINT TOKEN CALL PHONE   stop recognition
//   node acs-check.cjs parse FILE                       parse {"events": [...], "streaming": [...]}
//
// Each prints one JSON object. The SDK is used as a bot would: its own
// api-version, Repeatability headers and request bodies, a bearer token
// (it allows one only over https, so the server must have TLS).
"use strict";
const fs = require("node:fs");
const sdk = require("@azure/communication-call-automation");

function client(endpoint, token) {
  const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }) };
  return new sdk.CallAutomationClient(endpoint, credential);
}

async function rest(endpoint, token, call, phone) {
  const media = client(endpoint, token).getCallConnection(call).getCallMedia();
  const target = { phoneNumber: phone };
  await media.startContinuousDtmfRecognition(target, { operationContext: "sdk-reco" });
  const send = await media.sendDtmfTones(["one", "pound"], target, { operationContext: "sdk-send" });
  return { send };
}

async function stop(endpoint, token, call, phone) {
  const media = client(endpoint, token).getCallConnection(call).getCallMedia();
  await media.stopContinuousDtmfRecognition({ phoneNumber: phone }, { operationContext: "sdk-stop" });
  return {};
}

function parse(file) {
  const input = JSON.parse(fs.readFileSync(file, "utf8"));
  const events = input.events.map((body) => sdk.parseCallAutomationEvent(body));
  const streaming = input.streaming.map((text) => {
    const value = sdk.StreamingData.parse(text);
    return { kind: sdk.StreamingData.getStreamingKind(), value };
  });
  const outbound = [sdk.createOutboundAudioData("AAABAP//"), sdk.createOutboundStopAudioData()];
  return { events, streaming, outbound };
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  const run = { rest, stop, parse }[mode];
  if (!run) throw new Error("mode must be rest, stop or parse");
  process.stdout.write(JSON.stringify(await run(...args)) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: { statusCode: e.statusCode, code: e.code, message: e.message } }) + "\n");
  process.exit(1);
});

// Package acs holds the Azure Communication Services Call Automation wire
// types dtmfkit speaks (REST API version 2025-05-15): the callback events
// delivered as CloudEvents 1.0 in a JSON array, the sendDtmfTones and
// continuous DTMF recognition requests, CommunicationIdentifierModel and
// CommunicationErrorResponse.
//
// The schemas are those of the Call Automation swagger (stable/2025-05-15,
// SendDtmfTonesRequest, SendDtmfTonesResult, ContinuousDtmfRecognitionRequest,
// the event data definitions) and of communication common.json for
// identifiers and errors. Field names follow the spec to the letter, with
// its quirks: resultInformation.subCode has a capital C (Graph writes
// subcode), and the error's inner error is "innererror".
//
// Parsers are tolerant where the service is known to vary: the event array
// or a single event, event types compared without regard to case, unknown
// fields ignored (newer services add SIP diagnostics), the early nested
// "toneInfo" object of ContinuousDtmfRecognitionToneReceived and the
// 2022-2023 "collectTonesResult" of RecognizeCompleted. [Tone] is an open
// string, as the spec's x-ms-enum has modelAsString: true: an unknown tone
// parses, and [Tone.Digit] reports it.
package acs

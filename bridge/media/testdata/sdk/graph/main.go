// Command graph drives bridge/media's Graph handler with the Microsoft
// Graph Go SDK, as a Go bot would: its request builders post
// subscribeToTone and sendDtmfTones (gzip bodies, its error mapping), and
// its models read every notification the handler sends. It is a module of
// its own, so that dtmfkit's go.mod stays free of the SDK; make sdk-check
// runs it (go run ., which needs the module proxy). It prints what the
// SDK read and PASS, or FAIL and the first difference.
//
// One field reads as nil: operationStatus. The SDK parses it
// case-sensitively in the CSDL's PascalCase ("Running"), while the service
// writes, and the handler writes, the docs' camelCase ("running"); the SDK
// returns nil for it, without an error, on the service's own payloads.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	nethttp "github.com/microsoft/kiota-http-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/communications"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

const token = "graph-sdk-check"

// tokenProvider gives the SDK the server's bearer token.
type tokenProvider struct{}

func (tokenProvider) GetAuthorizationToken(context.Context, *url.URL, map[string]any) (string, error) {
	return token, nil
}
func (tokenProvider) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	v, _ := authentication.NewAllowedHostsValidatorErrorCheck(nil)
	return v
}

func main() {
	if err := run(); err != nil {
		fmt.Println("FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("PASS")
}

func run() error {
	ctx := context.Background()
	var mu sync.Mutex
	var bodies [][]byte
	sink := bridge.FuncSink(func(_ context.Context, n bridge.Notification) error {
		mu.Lock()
		bodies = append(bodies, n.Body)
		mu.Unlock()
		return nil
	})
	g, err := media.NewGraph(media.Config{Sink: sink, CallbackURI: "https://bot.example/callback"})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	media.Mount(mux, nil, g)
	srv := httptest.NewServer(media.RequireToken(token, mux))
	defer srv.Close()
	defer g.Shutdown(ctx)

	const callID = "57dab8b1-894c-409a-b240-bd8beae78896"
	conn, _, err := websocket.Dial(ctx, "ws"+srv.URL[4:]+"/graph/calls/"+callID+"/media",
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
	if err != nil {
		return err
	}
	defer conn.CloseNow()
	go func() { // drain the tones sendDtmfTones plays back
		for {
			if _, _, err := conn.Read(ctx); err != nil {
				return
			}
		}
	}()

	parse := absser.NewParseNodeFactoryRegistry()
	parse.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonParseNodeFactory()
	write := absser.NewSerializationWriterFactoryRegistry()
	write.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonSerializationWriterFactory()
	adapter, err := nethttp.NewNetHttpRequestAdapterWithParseNodeFactoryAndSerializationWriterFactory(
		authentication.NewBaseBearerTokenAuthenticationProvider(tokenProvider{}), parse, write)
	if err != nil {
		return err
	}
	adapter.SetBaseUrl(srv.URL + "/v1.0")
	comms := communications.NewCommunicationsRequestBuilderInternal(map[string]string{"baseurl": srv.URL + "/v1.0"}, adapter)

	sub := communications.NewCallsItemSubscribeToTonePostRequestBody()
	sub.SetClientContext(ptr("sdk-subscribe"))
	subOp, err := comms.Calls().ByCallId(callID).SubscribeToTone().Post(ctx, sub, nil)
	if err != nil {
		return fmt.Errorf("subscribeToTone: %w", describe(err))
	}
	fmt.Printf("subscribeToTone -> %T id=%s clientContext=%s status=%v resultInfo=%v\n", subOp, deref(subOp.GetId()),
		deref(subOp.GetClientContext()), enumStr(subOp.GetStatus()), subOp.GetResultInfo())
	if subOp.GetId() == nil || deref(subOp.GetClientContext()) != "sdk-subscribe" {
		return errors.New("subscribeToTone: the operation's id or clientContext not read")
	}

	send := communications.NewCallsItemSendDtmfTonesPostRequestBody()
	send.SetTones([]models.Tone{models.TONE1_TONE, models.POUND_TONE, models.STAR_TONE, models.A_TONE})
	send.SetDelayBetweenTonesMs(ptr(int32(100)))
	send.SetClientContext(ptr("sdk-send"))
	sendOp, err := comms.Calls().ByCallId(callID).SendDtmfTones().Post(ctx, send, nil)
	if err != nil {
		return fmt.Errorf("sendDtmfTones: %w", describe(err))
	}
	fmt.Printf("sendDtmfTones -> %T id=%s clientContext=%s status=%v completionReason=%v\n", sendOp, deref(sendOp.GetId()),
		deref(sendOp.GetClientContext()), enumStr(sendOp.GetStatus()), enumStr(sendOp.GetCompletionReason()))
	if sendOp.GetId() == nil || deref(sendOp.GetClientContext()) != "sdk-send" {
		return errors.New("sendDtmfTones: the operation's id or clientContext not read")
	}

	// An unknown call: the SDK's error mapping must read our error body.
	_, err = comms.Calls().ByCallId("no-such-call").SendDtmfTones().Post(ctx, send, nil)
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		return fmt.Errorf("unknown call: got %v, want an *odataerrors.ODataError", err)
	}
	fmt.Printf("unknown call -> ODataError status=%d code=%s message=%q\n", oe.ResponseStatusCode,
		deref(oe.GetErrorEscaped().GetCode()), deref(oe.GetErrorEscaped().GetMessage()))
	if oe.ResponseStatusCode != http.StatusNotFound || deref(oe.GetErrorEscaped().GetCode()) != "itemNotFound" {
		return errors.New("unknown call: not read as 404 itemNotFound")
	}

	// Keys in the relayed audio: 16 kHz, 20 ms binary messages.
	enc, err := encoder.New(encoder.Config{SampleRate: 16000})
	if err != nil {
		return err
	}
	pcm, err := enc.Append(make([]int16, 3200), "159#")
	if err != nil {
		return err
	}
	pcm = append(pcm, make([]int16, 3200)...)
	for i := 0; i < len(pcm); i += 320 {
		var b []byte
		for _, v := range pcm[i:min(i+320, len(pcm))] {
			b = append(b, byte(v), byte(uint16(v)>>8))
		}
		if err := conn.Write(ctx, websocket.MessageBinary, b); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(bodies)
		mu.Unlock()
		if n >= 5 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	conn.Close(websocket.StatusNormalClosure, "done")

	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 5 {
		return fmt.Errorf("%d notifications, want 5: four keys and the completion", len(bodies))
	}
	var heard []string
	for _, b := range bodies {
		what, err := parseNotification(b)
		if err != nil {
			return fmt.Errorf("%w\n%s", err, b)
		}
		heard = append(heard, what)
	}
	want := []string{"1 tone1", "2 tone5", "3 tone9", "4 pound", "completedSuccessfully " + deref(sendOp.GetId()).(string)}
	if fmt.Sprint(heard) != fmt.Sprint(want) {
		return fmt.Errorf("notifications read as %q, want %q", heard, want)
	}
	return nil
}

// parseNotification parses a commsNotifications body with the SDK's models,
// prints what a bot reads from it, and returns its gist: a key's
// "sequenceId tone", or an operation's "completionReason id".
func parseNotification(b []byte) (string, error) {
	// The SDK has no model of the commsNotifications envelope (its
	// ChangeNotificationCollection is another shape): read it as JSON,
	// and resourceData as the entity its @odata.type names.
	var raw struct {
		Value []struct {
			ChangeType   string          `json:"changeType"`
			ResourceURL  string          `json:"resourceUrl"`
			ResourceData json.RawMessage `json:"resourceData"`
		} `json:"value"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return "", err
	}
	if len(raw.Value) != 1 {
		return "", fmt.Errorf("%d notifications in value", len(raw.Value))
	}
	n := raw.Value[0]
	ct, err := models.ParseChangeType(n.ChangeType)
	if err != nil || ct == nil {
		return "", fmt.Errorf("changeType %q not read by models.ParseChangeType", n.ChangeType)
	}
	change := ct.(*models.ChangeType).String()
	node, err := jsonser.NewJsonParseNode(n.ResourceData)
	if err != nil {
		return "", err
	}
	ent, err := node.GetObjectValue(models.CreateEntityFromDiscriminatorValue)
	if err != nil {
		return "", err
	}
	switch r := ent.(type) {
	case models.Callable:
		ti := r.GetToneInfo()
		if ti == nil || ti.GetSequenceId() == nil || ti.GetTone() == nil || r.GetState() == nil {
			return "", errors.New("call resource: state or toneInfo not read")
		}
		fmt.Printf("notification %s %s: call state=%s toneInfo sequenceId=%d tone=%s\n", change,
			n.ResourceURL, r.GetState().String(), *ti.GetSequenceId(), ti.GetTone().String())
		return fmt.Sprintf("%d %s", *ti.GetSequenceId(), ti.GetTone().String()), nil
	case models.SendDtmfTonesOperationable:
		fmt.Printf("notification %s %s: sendDtmfTonesOperation id=%s clientContext=%s status=%s completionReason=%s\n",
			change, n.ResourceURL, deref(r.GetId()), deref(r.GetClientContext()), enumStr(r.GetStatus()),
			enumStr(r.GetCompletionReason()))
		if r.GetCompletionReason() == nil || deref(r.GetClientContext()) != "sdk-send" {
			return "", errors.New("sendDtmfTonesOperation: completionReason or clientContext not read")
		}
		return fmt.Sprintf("%s %s", r.GetCompletionReason().String(), deref(r.GetId())), nil
	}
	return "", fmt.Errorf("resourceData parsed as %T", ent)
}

func describe(err error) error {
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) && oe.GetErrorEscaped() != nil {
		return fmt.Errorf("%d %s: %s", oe.ResponseStatusCode, deref(oe.GetErrorEscaped().GetCode()), deref(oe.GetErrorEscaped().GetMessage()))
	}
	return err
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) any {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func enumStr[T fmt.Stringer](p *T) string {
	if p == nil {
		return "<nil>"
	}
	return (*p).String()
}

package acs

import (
	"strings"
)

// CommunicationIdentifierModel identifies a participant. It is polymorphic:
// "Apart from kind and rawId, at most one further property may be set which
// must match the kind" (common.json). In requests kind and rawId are
// optional; [CommunicationIdentifierModel.Validate] checks the rules.
type CommunicationIdentifierModel struct {
	Kind               string                             `json:"kind,omitempty"`
	RawID              string                             `json:"rawId,omitempty"`
	CommunicationUser  *CommunicationUserIdentifierModel  `json:"communicationUser,omitempty"`
	PhoneNumber        *PhoneNumberIdentifierModel        `json:"phoneNumber,omitempty"`
	MicrosoftTeamsUser *MicrosoftTeamsUserIdentifierModel `json:"microsoftTeamsUser,omitempty"`
	MicrosoftTeamsApp  *MicrosoftTeamsAppIdentifierModel  `json:"microsoftTeamsApp,omitempty"`
	TeamsExtensionUser *TeamsExtensionUserIdentifierModel `json:"teamsExtensionUser,omitempty"`
}

// CommunicationUserIdentifierModel is an ACS user: id is its raw id
// ("8:acs:…").
type CommunicationUserIdentifierModel struct {
	ID string `json:"id"`
}

// PhoneNumberIdentifierModel is a PSTN number in E.164 form ("+14255550123"),
// or "anonymous".
type PhoneNumberIdentifierModel struct {
	Value       string `json:"value"`
	IsAnonymous bool   `json:"isAnonymous,omitempty"`
	AssertedID  string `json:"assertedId,omitempty"`
}

// MicrosoftTeamsUserIdentifierModel is a Teams user.
type MicrosoftTeamsUserIdentifierModel struct {
	UserID      string `json:"userId"`
	IsAnonymous bool   `json:"isAnonymous,omitempty"`
	Cloud       string `json:"cloud,omitempty"`
}

// MicrosoftTeamsAppIdentifierModel is a Teams application (bot).
type MicrosoftTeamsAppIdentifierModel struct {
	AppID string `json:"appId"`
	Cloud string `json:"cloud,omitempty"`
}

// TeamsExtensionUserIdentifierModel is a Teams Phone extension user.
type TeamsExtensionUserIdentifierModel struct {
	UserID     string `json:"userId"`
	TenantID   string `json:"tenantId"`
	ResourceID string `json:"resourceId,omitempty"`
	Cloud      string `json:"cloud,omitempty"`
}

// The identifier kinds.
const (
	KindUnknown            = "unknown"
	KindCommunicationUser  = "communicationUser"
	KindPhoneNumber        = "phoneNumber"
	KindMicrosoftTeamsUser = "microsoftTeamsUser"
	KindMicrosoftTeamsApp  = "microsoftTeamsApp"
	KindTeamsExtensionUser = "teamsExtensionUser"
)

var knownKinds = []string{KindUnknown, KindCommunicationUser, KindPhoneNumber,
	KindMicrosoftTeamsUser, KindMicrosoftTeamsApp, KindTeamsExtensionUser}

// acsUserPrefixes are the raw-id prefixes of ACS users, by cloud.
var acsUserPrefixes = []string{"8:acs:", "8:spool:", "8:dod-acs:", "8:gcch-acs:"}

// Validate checks the identifier's structure, as a request's
// targetParticipant (field names the field for messages):
//   - at most one typed property, whose own required fields are set and
//     well formed (an ACS user id starts 8:acs:, 8:spool:, 8:dod-acs: or
//     8:gcch-acs:; a phone number is E.164 "+" and 1-15 digits, or
//     "anonymous"; cloud is public, dod or gcch);
//   - kind, if given, names that property ("unknown" or a kind this
//     package does not know, if none is set);
//   - rawId, if given, has no spaces or control characters and agrees with
//     the property (a phone number's rawId may drop the "+", as older SDKs
//     did);
//   - with no property, rawId is required.
//
// The error is an *[Error] (400) whose Target is the offending field.
func (id CommunicationIdentifierModel) Validate(field string) error {
	n := 0
	bad := func(sub, format string, args ...any) error {
		return badRequest(field+sub, format, args...)
	}
	if u := id.CommunicationUser; u != nil {
		n++
		if !hasAnyPrefix(u.ID, acsUserPrefixes) || !plain(u.ID) {
			return bad(".communicationUser.id", "%q is not an ACS user id (8:acs:…)", u.ID)
		}
	}
	if p := id.PhoneNumber; p != nil {
		n++
		if !isE164(p.Value) && p.Value != "anonymous" {
			return bad(".phoneNumber.value", "%q is not an E.164 number (+ and 1-15 digits)", p.Value)
		}
	}
	if u := id.MicrosoftTeamsUser; u != nil {
		n++
		if !plain(u.UserID) {
			return bad(".microsoftTeamsUser.userId", "%q is not a user id", u.UserID)
		}
		if _, ok := cloudPrefix(u.Cloud, "", "", ""); !ok {
			return bad(".microsoftTeamsUser.cloud", "%q is not public, dod or gcch", u.Cloud)
		}
	}
	if a := id.MicrosoftTeamsApp; a != nil {
		n++
		if !plain(a.AppID) {
			return bad(".microsoftTeamsApp.appId", "%q is not an app id", a.AppID)
		}
		if _, ok := cloudPrefix(a.Cloud, "", "", ""); !ok {
			return bad(".microsoftTeamsApp.cloud", "%q is not public, dod or gcch", a.Cloud)
		}
	}
	if u := id.TeamsExtensionUser; u != nil {
		n++
		if !plain(u.UserID) || !plain(u.TenantID) {
			return bad(".teamsExtensionUser", "userId and tenantId are required")
		}
		if _, ok := cloudPrefix(u.Cloud, "", "", ""); !ok {
			return bad(".teamsExtensionUser.cloud", "%q is not public, dod or gcch", u.Cloud)
		}
	}
	kind, raw := id.typed()
	switch {
	case n > 1:
		return bad("", "sets %d identifier properties; at most one may be set", n)
	case id.RawID != "" && !plain(id.RawID):
		return bad(".rawId", "%q has spaces or control characters", id.RawID)
	case n == 0 && id.RawID == "":
		return bad("", "is empty: give rawId or one identifier property")
	case n == 0 && id.Kind != "" && !strings.EqualFold(id.Kind, KindUnknown) && isKnownKind(id.Kind):
		return bad(".kind", "kind %q needs its %q property", id.Kind, id.Kind)
	case n == 1 && id.Kind != "" && !strings.EqualFold(id.Kind, kind):
		return bad(".kind", "kind %q does not match the %q property", id.Kind, kind)
	case n == 1 && id.RawID != "" && raw != "" && !SameRawID(id.RawID, raw):
		return bad(".rawId", "%q does not match the %s %q", id.RawID, kind, raw)
	}
	return nil
}

// Raw returns the identifier's raw id: RawID if given, else the one its
// typed property implies, as the SDKs derive it ("" if neither says, as
// for a teamsExtensionUser without resourceId). Media streaming names
// participants by raw id (participantRawID).
func (id CommunicationIdentifierModel) Raw() string {
	if id.RawID != "" {
		return id.RawID
	}
	_, raw := id.typed()
	return raw
}

// typed returns the kind and the implied raw id of the first typed
// property set, or "" and "" if none is.
func (id CommunicationIdentifierModel) typed() (kind, raw string) {
	switch {
	case id.CommunicationUser != nil:
		return KindCommunicationUser, id.CommunicationUser.ID
	case id.PhoneNumber != nil:
		return KindPhoneNumber, "4:" + id.PhoneNumber.Value
	case id.MicrosoftTeamsUser != nil:
		u := id.MicrosoftTeamsUser
		prefix, _ := cloudPrefix(u.Cloud, "8:orgid:", "8:dod:", "8:gcch:")
		if u.IsAnonymous {
			prefix = "8:teamsvisitor:"
		}
		return KindMicrosoftTeamsUser, prefix + u.UserID
	case id.MicrosoftTeamsApp != nil:
		a := id.MicrosoftTeamsApp
		prefix, _ := cloudPrefix(a.Cloud, "28:orgid:", "28:dod:", "28:gcch:")
		return KindMicrosoftTeamsApp, prefix + a.AppID
	case id.TeamsExtensionUser != nil:
		u := id.TeamsExtensionUser
		if u.ResourceID == "" {
			return KindTeamsExtensionUser, ""
		}
		prefix, _ := cloudPrefix(u.Cloud, "8:acs:", "8:dod-acs:", "8:gcch-acs:")
		return KindTeamsExtensionUser, prefix + u.ResourceID + "_" + u.TenantID + "_" + u.UserID
	}
	return "", ""
}

func isKnownKind(k string) bool {
	for _, known := range knownKinds {
		if strings.EqualFold(k, known) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if len(s) > len(p) && strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// plain reports whether s is non-empty and free of spaces and control
// characters.
func plain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// isE164 reports whether s is "+" followed by 1 to 15 digits, the first
// not 0.
func isE164(s string) bool {
	if len(s) < 2 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cloudPrefix returns the raw-id prefix for cloud ("" is public).
func cloudPrefix(cloud, public, dod, gcch string) (string, bool) {
	switch strings.ToLower(cloud) {
	case "", "public":
		return public, true
	case "dod":
		return dod, true
	case "gcch":
		return gcch, true
	}
	return "", false
}

// SameRawID reports whether two raw ids name the same participant: they
// are equal, or they are one phone number with and without the "+" after
// "4:" (older SDKs dropped it).
func SameRawID(a, b string) bool {
	if a == b {
		return true
	}
	return strings.HasPrefix(a, "4:") && strings.HasPrefix(b, "4:") &&
		strings.TrimPrefix(a[2:], "+") == strings.TrimPrefix(b[2:], "+")
}

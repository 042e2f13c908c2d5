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
	kind, raw, n := "", "", 0
	bad := func(sub, format string, args ...any) error {
		return badRequest(field+sub, format, args...)
	}
	if u := id.CommunicationUser; u != nil {
		n, kind, raw = n+1, KindCommunicationUser, u.ID
		if !hasAnyPrefix(u.ID, acsUserPrefixes) || !plain(u.ID) {
			return bad(".communicationUser.id", "%q is not an ACS user id (8:acs:…)", u.ID)
		}
	}
	if p := id.PhoneNumber; p != nil {
		n, kind, raw = n+1, KindPhoneNumber, "4:"+p.Value
		if !isE164(p.Value) && p.Value != "anonymous" {
			return bad(".phoneNumber.value", "%q is not an E.164 number (+ and 1-15 digits)", p.Value)
		}
	}
	if u := id.MicrosoftTeamsUser; u != nil {
		n, kind = n+1, KindMicrosoftTeamsUser
		if !plain(u.UserID) {
			return bad(".microsoftTeamsUser.userId", "%q is not a user id", u.UserID)
		}
		prefix, ok := cloudPrefix(u.Cloud, "8:orgid:", "8:dod:", "8:gcch:")
		if !ok {
			return bad(".microsoftTeamsUser.cloud", "%q is not public, dod or gcch", u.Cloud)
		}
		if u.IsAnonymous {
			prefix = "8:teamsvisitor:"
		}
		raw = prefix + u.UserID
	}
	if a := id.MicrosoftTeamsApp; a != nil {
		n, kind = n+1, KindMicrosoftTeamsApp
		if !plain(a.AppID) {
			return bad(".microsoftTeamsApp.appId", "%q is not an app id", a.AppID)
		}
		prefix, ok := cloudPrefix(a.Cloud, "28:orgid:", "28:dod:", "28:gcch:")
		if !ok {
			return bad(".microsoftTeamsApp.cloud", "%q is not public, dod or gcch", a.Cloud)
		}
		raw = prefix + a.AppID
	}
	if u := id.TeamsExtensionUser; u != nil {
		n, kind = n+1, KindTeamsExtensionUser
		if !plain(u.UserID) || !plain(u.TenantID) {
			return bad(".teamsExtensionUser", "userId and tenantId are required")
		}
		prefix, ok := cloudPrefix(u.Cloud, "8:acs:", "8:dod-acs:", "8:gcch-acs:")
		if !ok {
			return bad(".teamsExtensionUser.cloud", "%q is not public, dod or gcch", u.Cloud)
		}
		if u.ResourceID != "" {
			raw = prefix + u.ResourceID + "_" + u.TenantID + "_" + u.UserID
		}
	}
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
	case n == 1 && id.RawID != "" && raw != "" && !sameRaw(id.RawID, raw, kind):
		return bad(".rawId", "%q does not match the %s %q", id.RawID, kind, raw)
	}
	return nil
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

func sameRaw(given, derived, kind string) bool {
	if given == derived {
		return true
	}
	// Older SDKs wrote a phone number's raw id without its "+".
	return kind == KindPhoneNumber && strings.Replace(given, "4:", "4:+", 1) == derived
}

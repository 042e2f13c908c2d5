// Package graph holds the Microsoft Graph (v1.0) cloud-communications wire
// types dtmfkit speaks: the commsNotifications a bot receives, the call
// resource with its toneInfo, the sendDtmfTones and subscribeToTone actions
// and their operations, and the OData error body.
//
// The schemas are those of the v1.0 CSDL (EnumType tone, ComplexType
// toneInfo, commsNotification(s), EntityType sendDtmfTonesOperation,
// subscribeToToneOperation, commsOperation) and of the pages
// call-subscribetotone.md and call-senddtmftones.md; the JSON field order
// follows the pages' examples. The types have JSON tags and marshal to
// exactly those payloads; they hold no behaviour beyond parsing,
// validation and formatting.
//
// Parsers are tolerant where the service is known to vary: enum values and
// @odata.type strings compare without regard to case ("Running" and
// "running"; a 2018 capture used "#Microsoft.Graph.Notifications"),
// resourceData may be an object or an array, and unknown fields are
// ignored. The tone enum is closed (Graph has no modelAsString), so an
// unknown tone name is an error.
package graph

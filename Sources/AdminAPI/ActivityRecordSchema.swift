import Foundation

/// The NDJSON push format's record (`schemas/activity-record.schema.json`), for `/openapi.json`.
///
/// A copy of the file, so the served document is self-contained; a test keeps the two equal.
enum ActivityRecordSchema {
    static let text = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://rapport.example/schemas/activity-record.schema.json",
  "title": "Rapport activity record",
  "description": "One line of the NDJSON push format, and one line of `rapport parse` output: an email's header metadata or one meeting occurrence. Times are RFC 3339; `rapport parse` always prints UTC with a trailing Z. Addresses are compared lowercase.",
  "oneOf": [
    {
      "$ref": "#/$defs/email"
    },
    {
      "$ref": "#/$defs/meeting"
    }
  ],
  "$defs": {
    "address": {
      "type": "string",
      "pattern": "^[^\\s<>,]+@[^\\s<>,@]+$",
      "description": "An email address local@domain (lowercased by Rapport)."
    },
    "time": {
      "type": "string",
      "format": "date-time"
    },
    "messageId": {
      "type": "string",
      "minLength": 1,
      "description": "A Message-ID without angle brackets (brackets are stripped on input)."
    },
    "email": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "kind"
      ],
      "properties": {
        "kind": {
          "const": "email"
        },
        "message_id": {
          "oneOf": [
            {
              "$ref": "#/$defs/messageId"
            },
            {
              "type": "null"
            }
          ]
        },
        "from": {
          "oneOf": [
            {
              "$ref": "#/$defs/address"
            },
            {
              "type": "null"
            }
          ]
        },
        "sender": {
          "oneOf": [
            {
              "$ref": "#/$defs/address"
            },
            {
              "type": "null"
            }
          ]
        },
        "to": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/address"
          },
          "default": []
        },
        "cc": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/address"
          },
          "default": []
        },
        "bcc": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/address"
          },
          "default": []
        },
        "sent_at": {
          "oneOf": [
            {
              "$ref": "#/$defs/time"
            },
            {
              "type": "null"
            }
          ]
        },
        "in_reply_to": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/messageId"
          },
          "default": []
        },
        "references": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/messageId"
          },
          "default": []
        },
        "bulk": {
          "type": "boolean",
          "description": "List-Id, List-Unsubscribe, Precedence bulk/list/junk, or Auto-Submitted other than no. Defaults to auto_submitted."
        },
        "auto_submitted": {
          "type": "boolean",
          "default": false,
          "description": "An Auto-Submitted header other than no."
        },
        "conversation_id": {
          "oneOf": [
            {
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "description": "Microsoft Graph conversationId, a reply fallback; null for files."
        }
      }
    },
    "attendee": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "address"
      ],
      "properties": {
        "address": {
          "$ref": "#/$defs/address"
        },
        "partstat": {
          "type": [
            "string",
            "null"
          ],
          "description": "iCalendar PARTSTAT, e.g. ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION."
        },
        "role": {
          "type": [
            "string",
            "null"
          ],
          "description": "iCalendar ROLE, e.g. CHAIR, REQ-PARTICIPANT, OPT-PARTICIPANT, NON-PARTICIPANT."
        },
        "cutype": {
          "type": [
            "string",
            "null"
          ],
          "description": "iCalendar CUTYPE, e.g. INDIVIDUAL, GROUP, RESOURCE, ROOM."
        }
      }
    },
    "meeting": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "kind",
        "uid",
        "start",
        "end"
      ],
      "properties": {
        "kind": {
          "const": "meeting"
        },
        "uid": {
          "type": "string",
          "minLength": 1
        },
        "recurrence_id": {
          "oneOf": [
            {
              "$ref": "#/$defs/time"
            },
            {
              "type": "null"
            }
          ],
          "description": "The original start of this occurrence of a recurring series; null for a single event."
        },
        "organizer": {
          "oneOf": [
            {
              "$ref": "#/$defs/address"
            },
            {
              "type": "null"
            }
          ]
        },
        "attendees": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/attendee"
          },
          "default": []
        },
        "start": {
          "$ref": "#/$defs/time"
        },
        "end": {
          "$ref": "#/$defs/time",
          "description": "Not before start."
        },
        "all_day": {
          "type": "boolean",
          "default": false
        },
        "cancelled": {
          "type": "boolean",
          "default": false
        }
      }
    }
  }
}
"""#

    /// The schema as an OpenAPI component: its `$defs` references rewritten to point inside the component, no `$id`.
    static var component: [String: Any] {
        var schema = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        schema["$id"] = nil
        schema["$schema"] = nil
        return rewritten(schema) as? [String: Any] ?? [:]
    }

    private static func rewritten(_ node: Any) -> Any {
        if let object = node as? [String: Any] {
            var copy: [String: Any] = [:]
            for (key, value) in object {
                if key == "$ref", let reference = value as? String, reference.hasPrefix("#/$defs/") {
                    copy[key] = "#/components/schemas/ActivityRecord/$defs/" + reference.dropFirst("#/$defs/".count)
                } else {
                    copy[key] = rewritten(value)
                }
            }
            return copy
        }
        if let array = node as? [Any] { return array.map(rewritten) }
        return node
    }
}

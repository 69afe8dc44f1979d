import Foundation

/// The OpenAPI 3.1 description of the admin API, served at `/openapi.json`.
///
/// Written by hand next to the routes; a test checks that every route the
/// router serves is described here and every path described is served.
enum OpenAPIDocument {
    static let json: [UInt8] = {
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return Array(data)
    }()

    static var document: [String: Any] {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Rapport admin API",
                "version": "1",
                "description": "Account engagement enrichment: tenants, environments, prerequisites. Every /v1 route takes `Authorization: Bearer <key>`. Errors share one shape: {\"error\": {\"code\", \"message\", \"field\"}}. An object of another tenant answers 404.",
            ],
            // Microsoft Graph's routes and schemas (issue 8) are described next to them, in GraphRoutes.
            "components": components.merging(["schemas": (components["schemas"] as! [String: Any]).merging(GraphRoutes.openAPISchemas) { $1 }]) { $1 },
            "security": [["bearer": [String]()]],
            "paths": paths.merging(GraphRoutes.openAPIPaths) { $1 },
        ]
    }

    private static var tenant: [String: Any] { parameter("tenant", "The tenant's id") }
    private static var environment: [String: Any] { parameter("environment", "The environment's id") }

    static var paths: [String: Any] {
        [
            "/health/live": ["get": operation("Liveness", tag: "health", public: true, response: "Status")],
            "/health/ready": ["get": operation("Readiness: every database answers", tag: "health", public: true, response: "Readiness")],
            "/metrics": ["get": operation("Prometheus metrics (text format)", tag: "health", public: true, response: nil)],
            "/openapi.json": ["get": operation("This document", tag: "health", public: true, response: nil)],
            "/v1/tenants": [
                "get": operation("List tenants (operator)", tag: "operator", response: "TenantList"),
                "post": operation("Create a tenant (operator)", tag: "operator", request: "TenantInput", response: "Tenant", status: "201"),
            ],
            "/v1/tenants/{tenant}/bootstrap": [
                "parameters": [tenant],
                "post": operation("Create the tenant's first owner and a key (operator); the key is shown once", tag: "operator", request: "PrincipalInput", response: "CreatedKey", status: "201"),
            ],
            "/v1/tenants/{tenant}": [
                "parameters": [tenant],
                "get": operation("The tenant", tag: "tenant", response: "Tenant"),
            ],
            "/v1/tenants/{tenant}/licence": [
                "parameters": [tenant],
                "get": operation("The Office 365 licence", tag: "tenant", response: "Licence"),
                "put": operation("Record the Office 365 licence (owner)", tag: "tenant", request: "LicenceInput", response: "Licence"),
            ],
            "/v1/tenants/{tenant}/principals": [
                "parameters": [tenant],
                "get": operation("List principals (owner)", tag: "access", response: "PrincipalList"),
                "post": operation("Create a principal (owner)", tag: "access", request: "PrincipalInput", response: "Principal", status: "201"),
            ],
            "/v1/tenants/{tenant}/role-assignments": [
                "parameters": [tenant],
                "get": operation("List role assignments (owner)", tag: "access", response: "RoleAssignmentList"),
                "post": operation("Assign a role (owner)", tag: "access", request: "RoleAssignmentInput", response: "RoleAssignment", status: "201"),
            ],
            "/v1/tenants/{tenant}/role-assignments/{assignment}": [
                "parameters": [tenant, parameter("assignment", "The assignment's id")],
                "delete": operation("Remove a role assignment (owner)", tag: "access", response: nil, status: "204"),
            ],
            "/v1/tenants/{tenant}/keys": [
                "parameters": [tenant],
                "get": operation("List keys, never their secrets (owner)", tag: "access", response: "KeyList"),
                "post": operation("Create a key for a principal; the key is shown once (owner)", tag: "access", request: "KeyInput", response: "CreatedKey", status: "201"),
            ],
            "/v1/tenants/{tenant}/keys/{key}": [
                "parameters": [tenant, parameter("key", "The key's id")],
                "delete": operation("Revoke a key (owner)", tag: "access", response: nil, status: "204"),
            ],
            "/v1/tenants/{tenant}/audit": [
                "parameters": [
                    tenant,
                    ["name": "after", "in": "query", "schema": ["type": "integer", "minimum": 0], "description": "Events after this id"],
                    ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 500]],
                ],
                "get": operation("The audit log, oldest first, paged (owner)", tag: "tenant", response: "AuditPage"),
            ],
            "/v1/tenants/{tenant}/environments": [
                "parameters": [tenant],
                "get": operation("Environments the caller holds a role on", tag: "environments", response: "EnvironmentList"),
                "post": operation("Create an environment in a region (owner)", tag: "environments", request: "EnvironmentInput", response: "Environment", status: "201"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}": [
                "parameters": [tenant, environment],
                "get": operation("The environment (viewer)", tag: "environments", response: "Environment"),
                "patch": operation("Rename; the region cannot change (admin)", tag: "environments", request: "EnvironmentRename", response: "Environment"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/dataverse": [
                "parameters": [tenant, environment],
                "get": operation("The attached Dataverse organization and its history (viewer)", tag: "environments", response: "Dataverse"),
                "put": operation("Attach or replace the Dataverse organization; its geography (from the host) must be the environment's region (admin)", tag: "environments", request: "DataverseInput", response: "DataverseAttachment"),
                "delete": operation("Detach the Dataverse organization (admin)", tag: "environments", response: nil, status: "204"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/webhook": [
                "parameters": [tenant, environment],
                "get": operation("The webhook announcing each published run, without its secret (admin)", tag: "environments", response: "Webhook"),
                "put": operation("Set or replace the webhook; the answer carries the new HMAC-SHA256 signing secret, shown only now (admin)", tag: "environments", request: "WebhookInput", response: "SavedWebhook"),
                "delete": operation("Remove the webhook; queued deliveries are dropped (admin)", tag: "environments", response: nil, status: "204"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/customer-data/accounts": [
                "parameters": [tenant, environment],
                "post": csvOrJSON("Replace the business accounts: CSV (text/csv) or JSON (contributor)", request: "AccountsInput", response: "CustomerDataCounts"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/customer-data/contacts": [
                "parameters": [tenant, environment, ["name": "email_field", "in": "query", "schema": string, "description": "CSV: a column holding an email address (repeatable; default every column named *email*)"]],
                "post": csvOrJSON("Replace the contacts: CSV (text/csv) or JSON (contributor)", request: "ContactsInput", response: "CustomerDataCounts"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/activity": [
                "parameters": [tenant, environment, ["name": "skip_invalid", "in": "query", "schema": ["type": "boolean"], "description": "Store the valid lines of a batch with invalid ones"]],
                "post": ndjson("Push NDJSON activity records (gzip accepted); a batch with an invalid line is rejected whole unless skip_invalid (contributor)"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/results": [
                "parameters": [tenant, environment],
                "get": operation("The current result's summary (viewer)", tag: "results", response: "RunSummary"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/results/history": [
                "parameters": [tenant, environment],
                "get": operation("One summary per published run: enriched customers over time (viewer)", tag: "results", response: "RunHistory"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/results/rows": [
                "parameters": [tenant, environment] + rowParameters,
                "get": operation("The enriched rows, paged, filtered and sorted (viewer)", tag: "results", response: "RowsPage"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/results/export": [
                "parameters": [tenant, environment, ["name": "format", "in": "query", "schema": ["enum": ["csv", "ndjson"]]], ["name": "level", "in": "query", "schema": ["enum": ["Year", "Month", "Week"]]]],
                "get": operation("Every enriched row, streamed as CSV or NDJSON (viewer)", tag: "results", response: nil),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/accounts/{account}/card": [
                "parameters": [tenant, environment, ["name": "account", "in": "path", "required": true, "schema": string, "description": "The account id"]],
                "get": operation("The customer card: score with breakdown, year totals, monthly history (viewer)", tag: "results", response: "CustomerCard"),
            ],
            "/consent/{token}": [
                "parameters": [["name": "token", "in": "path", "required": true, "schema": string, "description": "The signed token of a consent email"]],
                "get": htmlPage("The consent page of an email link (HTML)"),
                "post": htmlPage("Grant or refuse through the email link (form: decision=grant|refuse, reason); single use"),
            ],
            "/v1/outbox": [
                "parameters": [["name": "pending", "in": "query", "schema": ["type": "boolean"]]],
                "get": operation("The mail outbox (operator)", tag: "operator", response: "Outbox"),
            ],
            "/v1/tenants/{tenant}/directory": [
                "parameters": [tenant],
                "get": operation("The tenant's directory (owner)", tag: "lifecycle", response: "Directory"),
                "put": operation("Replace the directory: users, groups, members (owner)", tag: "lifecycle", request: "Directory", response: "DirectoryCounts"),
            ],
            "/v1/tenants/{tenant}/consent": [
                "parameters": [tenant],
                "get": operation("The Office 365 administrator's consent", tag: "lifecycle", response: "Consent"),
                "post": operation("Grant or refuse in the console (o365_admin)", tag: "lifecycle", request: "ConsentDecision", response: "Consent"),
                "delete": operation("Withdraw consent: stop schedules, cancel runs, delete activity and results in every region (o365_admin)", tag: "lifecycle", response: "Withdrawal"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/enrichment": [
                "parameters": [tenant, environment],
                "get": operation("The enrichment configuration, consent and active run (viewer)", tag: "lifecycle", response: "EnrichmentView"),
                "put": operation("Save the configuration; 422 names the count, unknown groups, invalid or foreign addresses or failed checks (admin)", tag: "lifecycle", request: "EnrichmentInput", response: "EnrichmentSaved"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/enrichment/users": [
                "parameters": [tenant, environment],
                "get": operation("Office_UserEntity: the selected mailboxes with directory ids (viewer)", tag: "lifecycle", response: "OfficeUserEntity"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/runs": [
                "parameters": [tenant, environment],
                "get": operation("Runs, newest first (viewer)", tag: "lifecycle", response: "RunList"),
                "post": operation("Run now; 409 while one is queued or running (admin)", tag: "lifecycle", response: "Run", status: "202"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/runs/{run}": [
                "parameters": [tenant, environment, parameter("run", "The run's id")],
                "get": operation("One run with its steps: the progress details pane (viewer)", tag: "lifecycle", response: "Run"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/segments": [
                "parameters": [tenant, environment],
                "get": operation("Segments with their latest size (viewer)", tag: "segments", response: "SegmentList"),
                "post": operation("Create a segment; a syntax error names its position (contributor)", tag: "segments", request: "SegmentInput", response: "Segment", status: "201"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/segments/{segment}": [
                "parameters": [tenant, environment, parameter("segment", "The segment's id")],
                "get": operation("A segment and the size of each evaluation (viewer)", tag: "segments", response: "SegmentView"),
                "delete": operation("Delete a segment (contributor)", tag: "segments", response: nil, status: "204"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/segments/{segment}/members": [
                "parameters": [tenant, environment, parameter("segment", "The segment's id"), ["name": "limit", "in": "query", "schema": ["type": "integer"]], ["name": "offset", "in": "query", "schema": ["type": "integer"]]],
                "get": operation("The segment's accounts on the current result, paged (viewer)", tag: "segments", response: "SegmentMembers"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/measures": [
                "parameters": [tenant, environment],
                "get": operation("Measures (viewer)", tag: "segments", response: "MeasureList"),
                "post": operation("Create a measure: COUNT, SUM, AVG, MIN or MAX of a column over all accounts or a segment (contributor)", tag: "segments", request: "MeasureInput", response: "Measure", status: "201"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/measures/{measure}": [
                "parameters": [tenant, environment, parameter("measure", "The measure's id")],
                "get": operation("The measure's Year value and its value per month (viewer)", tag: "segments", response: "MeasureValue"),
            ],
            "/v1/tenants/{tenant}/environments/{environment}/prerequisites": [
                "parameters": [tenant, environment],
                "get": operation("The five prerequisite checks for the calling principal (viewer)", tag: "environments", response: "Prerequisites"),
            ],
        ]
    }

    static var rowParameters: [[String: Any]] {
        [
            ["name": "level", "in": "query", "schema": ["enum": ["Year", "Month", "Week"]]],
            ["name": "period", "in": "query", "schema": ["type": "string", "format": "date"], "description": "AggregationStartDate of the period"],
            ["name": "account", "in": "query", "schema": string],
            ["name": "sort", "in": "query", "schema": ["enum": columnNames], "description": "Any column; default EngagementScore"],
            ["name": "order", "in": "query", "schema": ["enum": ["asc", "desc"]]],
            ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 1000]],
            ["name": "offset", "in": "query", "schema": ["type": "integer", "minimum": 0]],
            ["name": "run", "in": "query", "schema": uuid, "description": "Pin the run while paging"],
        ]
    }

    static let columnNames = ["AccountId", "EngagementScore", "NoOfEmails_ToAccount", "NoOfEmails_FromAccount", "NoOfMeetings_FromAccount", "NoOfMeetings_ToAccount", "NoOfContactsInvolved_Meetings", "NoOfContactsInvolved_Emails", "NoOfAccountContactsInvolved_Meetings", "NoOfAccountContactsInvolved_Emails", "EngagementStartDate", "DaysSinceLastEmail", "DaysSinceLastMeeting", "AverageDuration_Of_Meetings", "AverageDuration_Of_AccountEmailReplies", "AggregationStartDate", "AggregationLevel"]

    static func csvOrJSON(_ summary: String, request: String, response: String) -> [String: Any] {
        var op = operation(summary, tag: "data", request: request, response: response)
        op["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(request)"]], "text/csv": ["schema": string]]]
        return op
    }

    static func ndjson(_ summary: String) -> [String: Any] {
        var op = operation(summary, tag: "data", response: "ActivityImport")
        op["requestBody"] = ["required": true, "content": ["application/x-ndjson": ["schema": ["$ref": "#/components/schemas/ActivityRecord"]]]]
        var responses = op["responses"] as! [String: Any]
        responses["400"] = [
            "description": "A batch with an invalid line, rejected whole: the error and each bad line (or a malformed body, in the error shape)",
            "content": ["application/json": ["schema": ["oneOf": [["$ref": "#/components/schemas/RejectedBatch"], ["$ref": "#/components/schemas/Error"]]]]],
        ]
        op["responses"] = responses
        return op
    }

    static func htmlPage(_ summary: String) -> [String: Any] {
        ["summary": summary, "tags": ["consent"], "security": [[String: Any]](), "responses": ["200": ["description": "An HTML page", "content": ["text/html": ["schema": string]]], "404": ["description": "Not a valid link"], "410": ["description": "Used or expired"]]]
    }

    static func parameter(_ name: String, _ description: String) -> [String: Any] {
        ["name": name, "in": "path", "required": true, "description": description, "schema": ["type": "string", "format": "uuid"]]
    }

    static func operation(
        _ summary: String, tag: String, public isPublic: Bool = false, request: String? = nil, response: String?,
        status: String = "200"
    ) -> [String: Any] {
        var responses: [String: Any] = [:]
        if let response {
            responses[status] = ["description": "OK", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(response)"]]]]
        } else {
            responses[status] = ["description": "OK"]
        }
        if !isPublic {
            for (code, text) in [
                ("400", "Invalid input, the field named"), ("401", "No valid key"), ("403", "The role is missing"),
                ("404", "Not found, or another tenant's"), ("409", "Conflicts with an existing object or a run in progress"),
                ("413", "The body is over its limit"), ("422", "A precondition failed"),
            ] {
                responses[code] = ["description": text, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
            }
            responses["503"] = [
                "description": "A database is down or busy, the tenant's share of its region's pool is in use, or a statement took too long (code unavailable or timeout)",
                "headers": ["Retry-After": ["schema": ["type": "integer"], "description": "Seconds to wait"]],
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
            ]
        }
        var operation: [String: Any] = ["summary": summary, "tags": [tag], "responses": responses]
        if isPublic { operation["security"] = [[String: Any]]() }
        if let request {
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(request)"]]]]
        }
        return operation
    }

    static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        ["type": "object", "additionalProperties": false, "properties": properties, "required": required]
    }

    static var string: [String: Any] { ["type": "string"] }
    static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    static var time: [String: Any] { ["type": "string", "format": "date-time"] }
    static func nullable(_ schema: [String: Any]) -> [String: Any] { ["oneOf": [schema, ["type": "null"]]] }
    static func list(_ key: String, _ item: String) -> [String: Any] {
        object([key: ["type": "array", "items": ["$ref": "#/components/schemas/\(item)"]]], required: [key])
    }

    static var components: [String: Any] {
        [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "rpt_… (tenant) or rpo_… (operator) keys"]],
            "schemas": [
                "Error": object(["error": object(["code": string, "message": string, "field": string], required: ["code", "message"])], required: ["error"]),
                "RejectedBatch": object(
                    [
                        "error": object(["code": string, "message": string, "field": string], required: ["code", "message"]),
                        "lines": ["type": "array", "items": object(["file": nullable(string), "line": nullable(["type": "integer"]), "field": nullable(string), "message": string])],
                    ], required: ["error", "lines"]),
                "ActivityRecord": ActivityRecordSchema.component,
                "Status": object(["status": string]),
                "Readiness": object(["status": ["enum": ["ready", "not_ready"]], "databases": ["type": "object", "additionalProperties": string]]),
                "TenantInput": object(["name": ["type": "string", "maxLength": 200], "email_domains": ["type": "array", "minItems": 1, "items": string]], required: ["name", "email_domains"]),
                "Tenant": object(["id": uuid, "name": string, "email_domains": ["type": "array", "items": string], "created_at": time]),
                "TenantList": list("tenants", "Tenant"),
                "LicenceInput": object(["status": ["enum": ["active", "suspended", "expired"]], "seats": ["type": "integer", "minimum": 1], "expires_on": ["type": "string", "format": "date"]], required: ["status", "seats", "expires_on"]),
                "Licence": object(["status": string, "seats": ["type": "integer"], "expires_on": ["type": "string", "format": "date"], "updated_at": time, "active": ["type": "boolean"]]),
                "PrincipalInput": object(["display_name": ["type": "string", "maxLength": 200], "email": ["type": "string", "format": "email"]], required: ["display_name"]),
                "Principal": object(["id": uuid, "tenant_id": uuid, "display_name": string, "email": nullable(string), "created_at": time]),
                "PrincipalList": list("principals", "Principal"),
                "RoleAssignmentInput": object(["principal_id": uuid, "role": ["enum": ["owner", "o365_admin", "admin", "contributor", "viewer"]], "environment_id": uuid, "notify_email": ["type": "string", "format": "email"]], required: ["principal_id", "role"]),
                "RoleAssignment": object(["id": uuid, "principal_id": uuid, "role": string, "environment_id": nullable(uuid), "notify_email": nullable(string), "created_at": time]),
                "RoleAssignmentList": list("role_assignments", "RoleAssignment"),
                "KeyInput": object(["principal_id": uuid, "name": ["type": "string", "maxLength": 200]], required: ["principal_id", "name"]),
                "Key": object(["id": uuid, "principal_id": uuid, "name": string, "prefix": string, "created_at": time, "last_used_at": nullable(time), "revoked_at": nullable(time)]),
                "KeyList": list("keys", "Key"),
                "CreatedKey": object(["principal": ["$ref": "#/components/schemas/Principal"], "key": ["$ref": "#/components/schemas/Key"], "secret": ["type": "string", "description": "The whole key; shown once"]]),
                "AuditEvent": object(["id": ["type": "integer"], "at": time, "actor_principal_id": nullable(uuid), "actor_operator_id": nullable(uuid), "key_id": nullable(uuid), "action": string, "target": string, "details": ["type": "object", "additionalProperties": string]]),
                "AuditPage": object(["events": ["type": "array", "items": ["$ref": "#/components/schemas/AuditEvent"]], "next_after": nullable(["type": "integer"])]),
                "EnvironmentInput": object(["name": ["type": "string", "maxLength": 200], "region": ["enum": ["uk", "eu", "na"]], "profile_type": ["enum": ["business_accounts", "individual_customers"]]], required: ["name", "region"]),
                "EnvironmentRename": object(["name": ["type": "string", "maxLength": 200], "region": ["enum": ["uk", "eu", "na"], "description": "May be sent only unchanged"]], required: ["name"]),
                "Environment": object(["id": uuid, "tenant_id": uuid, "name": string, "region": ["enum": ["uk", "eu", "na"]], "profile_type": string, "created_at": time]),
                "EnvironmentList": list("environments", "Environment"),
                "DataverseInput": object(["organization_url": ["type": "string", "pattern": "^https://"], "organization_id": uuid], required: ["organization_url", "organization_id"]),
                "WebhookInput": object(["url": ["type": "string", "format": "uri", "description": "https only (http with webhook.allow.http)"]], required: ["url"]),
                "Webhook": object(["url": string, "secret_id": string, "created_at": time, "created_by": nullable(uuid)]),
                "SavedWebhook": object(["url": string, "secret_id": string, "created_at": time, "created_by": nullable(uuid), "secret": ["type": "string", "description": "whsec_…: the key of the Rapport-Signature header's HMAC-SHA256"]]),
                "DataverseAttachment": object(["organization_url": string, "organization_id": uuid, "geography": nullable(string), "attached_at": time, "attached_by": nullable(uuid), "detached_at": nullable(time), "detached_by": nullable(uuid)]),
                "Dataverse": object(["current": ["oneOf": [["$ref": "#/components/schemas/DataverseAttachment"], ["type": "null"]]], "history": ["type": "array", "items": ["$ref": "#/components/schemas/DataverseAttachment"]]]),
                "AccountsInput": object(["accounts": ["type": "array", "items": object(["id": string, "name": string, "domains": ["type": "array", "items": string]], required: ["id", "name"])]], required: ["accounts"]),
                "ContactsInput": object(["contacts": ["type": "array", "items": object(["id": string, "account_id": string, "emails": ["type": "object", "additionalProperties": string]], required: ["id", "account_id"])]], required: ["contacts"]),
                "CustomerDataCounts": object(["accounts": ["type": "integer"], "contacts": ["type": "integer"], "contact_emails": ["type": "integer"]]),
                "ActivityImport": object(["report": ["type": "object"], "skipped_lines": ["type": "integer"]]),
                "RunSummary": ["type": "object", "description": "run_id, as_of, window_start, enriched_customers, emails_processed, meetings_processed, days_of_data, first_activity, last_activity, coverage (when the run read Microsoft Graph: mailboxes, fully_covered, incomplete with days_covered and reason), noise_figures, score_version, published_at"],
                "RunHistory": object(["runs": ["type": "array", "items": ["$ref": "#/components/schemas/RunSummary"]]]),
                "EnrichedRow": object(Dictionary(uniqueKeysWithValues: columnNames.map { ($0, ["type": ["string", "number", "integer", "null"]] as [String: Any]) })),
                "RowsPage": object(["run_id": uuid, "total": ["type": "integer"], "limit": ["type": "integer"], "offset": ["type": "integer"], "rows": ["type": "array", "items": ["$ref": "#/components/schemas/EnrichedRow"]]]),
                "CustomerCard": ["type": "object", "description": "runID, accountID, name, year (EnrichedRow), rawScore, breakdown [{name, input, contribution}], totalEmails, totalMeetings, monthly [EnrichedRow]"],
                "Outbox": ["type": "object", "description": "messages: id, tenant_id, recipient, subject, body, created_at, attempts, next_attempt_at, sent_at, last_error"],
                "Directory": object(["users": ["type": "array", "items": object(["id": string, "mail": string, "user_principal_name": string, "display_name": string], required: ["id"])], "groups": ["type": "array", "items": object(["id": string, "display_name": string, "mail": string, "members": ["type": "array", "items": string]], required: ["id"])]], required: ["users"]),
                "DirectoryCounts": object(["users": ["type": "integer"], "groups": ["type": "integer"]]),
                "Consent": object(["status": ["enum": ["none", "requested", "granted", "refused", "withdrawn"]], "decided_at": nullable(time), "decided_by": nullable(string), "reason": nullable(string), "updated_at": nullable(time)]),
                "ConsentDecision": object(["decision": ["enum": ["grant", "refuse"]], "reason": string], required: ["decision"]),
                "Withdrawal": object(["runs_cancelled": ["type": "integer"], "deleted": ["type": "object", "description": "rows deleted per region and table"]]),
                "EnrichmentInput": object(["name": string, "addresses": ["type": "array", "items": string], "groups": ["type": "array", "items": string, "description": "group ids, mail or display names"], "agreed": ["type": "boolean", "const": true], "dataset": ["enum": ["business_accounts"]], "email_field": string, "schedule": ["enum": ["daily", "weekly", "monthly", "off"]], "weights": ["type": "object"], "rules": ["type": "object"], "export_levels": ["type": "array", "items": ["enum": ["Year", "Month", "Week"]], "uniqueItems": true, "description": "levels written to the attached Dataverse organization after each run (default Year, Month)"]], required: ["name", "agreed", "email_field"]),
                "EnrichmentView": ["type": "object", "description": "configuration, mailbox_count, next_run_at, consent, active_run"],
                "EnrichmentSaved": ["type": "object", "description": "enrichment, consent, consent_requested"],
                "OfficeUserEntity": object(["Office_UserEntity": ["type": "array", "items": object(["Email": string, "DirectoryId": nullable(string)])]]),
                "Run": ["type": "object", "description": "id, tenant_id, environment_id, region, status, trigger, scheduled_for, as_of (the end of the one-year window), attempts, lease_owner, lease_expires_at, created_at, started_at, finished_at, error, steps [{step, state, counts, started_at, finished_at, error}]"],
                "RunList": list("runs", "Run"),
                "SegmentInput": object(["name": string, "expression": ["type": "string", "description": "e.g. DaysSinceLastEmail > 60 AND DaysSinceLastMeeting > 60; columns, = <> < <= > >=, AND, OR, NOT, (), IS [NOT] NULL, numbers, 'text', 'YYYY-MM-DD', today - N days|weeks|months, Name, Domain, AccountId"]], required: ["name", "expression"]),
                "Segment": object(["id": uuid, "name": string, "expression": string, "ready_made": ["type": "boolean"], "created_at": time, "size": nullable(["type": "integer"])]),
                "SegmentList": list("segments", "Segment"),
                "SegmentView": object(["segment": ["$ref": "#/components/schemas/Segment"], "evaluations": ["type": "array", "items": object(["run_id": uuid, "size": ["type": "integer"], "evaluated_at": time])]]),
                "SegmentMembers": object(["total": ["type": "integer"], "limit": ["type": "integer"], "offset": ["type": "integer"], "members": ["type": "array", "items": object(["account_id": string, "name": string, "engagement_score": ["type": "integer"], "days_since_last_email": nullable(["type": "integer"]), "days_since_last_meeting": nullable(["type": "integer"])])]]),
                "MeasureInput": object(["name": string, "function": ["enum": ["COUNT", "SUM", "AVG", "MIN", "MAX"]], "column": string, "segment_id": uuid], required: ["name", "function", "column"]),
                "Measure": object(["id": uuid, "name": string, "function": string, "column": string, "segment_id": nullable(uuid), "created_at": time]),
                "MeasureList": list("measures", "Measure"),
                "MeasureValue": object(["measure": ["$ref": "#/components/schemas/Measure"], "year": nullable(["type": "number"]), "months": ["type": "array", "items": object(["month": string, "value": nullable(["type": "number"])])]]),
                "Prerequisite": object(["id": ["enum": ["office365_licence", "business_accounts", "dataverse_attached", "admin_role", "tenant_consent"]], "status": ["enum": ["passed", "failed"]], "detail": string, "remedy": string]),
                "Prerequisites": object(["checks": ["type": "array", "items": ["$ref": "#/components/schemas/Prerequisite"]], "passed": ["type": "boolean"]]),
            ],
        ]
    }
}

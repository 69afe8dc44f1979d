import AsyncHTTPClient
import FakeDataverse
import Foundation
import Ingest
import NIOCore

/// A live fake on a local port and a plain HTTP client; requests are written by hand from Microsoft's documentation.
struct FakeDataverseHarness {
    static let tenantID = "8d3c5a4e-1f2b-4c6d-9e0a-7b1c2d3e4f50"
    static let clientID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
    static let secret = "fake~secret.value"
    /// An organization where the app is an application user with a role.
    static let host = "contoso.crm4.dynamics.com"
    /// An organization where the app is no application user.
    static let strangerHost = "fabrikam.crm.dynamics.com"
    /// An organization where the app's application user has no role.
    static let rolelessHost = "northwind.crm11.dynamics.com"
    static let userID = UUID(uuidString: "5b0ad0f2-8d8e-4f7a-a1b2-c3d4e5f60718")!

    let server: FakeDataverseServer
    let http: HTTPClient
    var store: FakeDataverseStore { server.store }
    var base: String { server.baseURL }
    /// `{base}/contoso.crm4.dynamics.com/api/data/v9.2`
    var api: String { "\(base)/\(Self.host)/api/data/v9.2" }

    static func make() async throws -> FakeDataverseHarness {
        let store = FakeDataverseStore(
            app: FakeDataverseApp(tenantID: tenantID, tenantDomains: ["contoso.onmicrosoft.com"], clientID: clientID, clientSecret: secret),
            organizations: [
                FakeDataverseOrganization(host: host, applicationUsers: [.init(clientID: clientID, userID: userID, hasRole: true)]),
                FakeDataverseOrganization(host: strangerHost),
                FakeDataverseOrganization(host: rolelessHost, applicationUsers: [.init(clientID: clientID, hasRole: false)]),
            ])
        let server = FakeDataverseServer(store: store)
        try await server.start()
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)
        return FakeDataverseHarness(server: server, http: HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration))
    }

    /// Runs a test against a fresh fake and closes it whatever happens.
    static func run(_ body: (FakeDataverseHarness) async throws -> Void) async throws {
        let harness = try await make()
        do {
            try await body(harness)
        } catch {
            await harness.close()
            throw error
        }
        await harness.close()
    }

    func close() async {
        try? await http.shutdown()
        await server.stop()
    }

    struct Reply {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONObject? { (try? JSONParser.parse(body))?.objectValue }
        var errorCode: String? { json?["error"]?.objectValue?["code"]?.stringValue }
        var errorMessage: String? { json?["error"]?.objectValue?["message"]?.stringValue }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    /// A raw request.
    func send(_ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Array(buffer.readableBytesView))
    }

    /// The client credentials grant, as the identity platform documents it.
    func tokenReply(
        scope: String = "https://\(host)/.default", tenant: String = tenantID, clientID: String = clientID, secret: String = secret,
        grantType: String = "client_credentials"
    ) async throws -> Reply {
        func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
        }
        let form = "client_id=\(encoded(clientID))&scope=\(encoded(scope))&client_secret=\(encoded(secret))&grant_type=\(encoded(grantType))"
        return try await send("POST", "\(base)/\(tenant)/oauth2/v2.0/token", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
    }

    func token(for host: String = host) async throws -> String {
        let reply = try await tokenReply(scope: "https://\(host)/.default")
        guard let token = reply.json?["access_token"]?.stringValue else { throw HarnessError(message: "no token: \(reply.text)") }
        return token
    }

    /// A Web API request with the headers every documented example carries.
    func api(
        _ method: String, _ path: String, token: String, host: String = host, json: String? = nil, headers: [(String, String)] = []
    ) async throws -> Reply {
        var all: [(String, String)] = [
            ("Authorization", "Bearer \(token)"), ("Accept", "application/json"), ("OData-MaxVersion", "4.0"), ("OData-Version", "4.0"),
        ]
        if !headers.contains(where: { $0.0.lowercased() == "if-none-match" }) { all.append(("If-None-Match", "null")) }
        if json != nil { all.append(("Content-Type", "application/json; charset=utf-8")) }
        return try await send(method, "\(base)/\(host)/api/data/v9.2/\(path)", headers: all + headers, body: json.map { Array($0.utf8) })
    }

    struct HarnessError: Error {
        var message: String
    }

    // MARK: Schema

    static func label(_ text: String) -> String {
        #"{"@odata.type":"Microsoft.Dynamics.CRM.Label","LocalizedLabels":[{"@odata.type":"Microsoft.Dynamics.CRM.LocalizedLabel","Label":"\#(text)","LanguageCode":1033}]}"#
    }

    /// The event table of the documentation's create-table example, with typed columns.
    static var eventTable: String {
        """
        {
          "@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata",
          "SchemaName": "rapport_Event",
          "DisplayName": \(label("Event")),
          "DisplayCollectionName": \(label("Events")),
          "Description": \(label("An engagement event")),
          "OwnershipType": "UserOwned",
          "HasActivities": false,
          "HasNotes": false,
          "IsActivity": false,
          "PrimaryNameAttribute": "rapport_name",
          "Attributes": [
            {"@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata", "AttributeType": "String", "AttributeTypeName": {"Value": "StringType"},
             "SchemaName": "rapport_Name", "IsPrimaryName": true, "MaxLength": 100, "FormatName": {"Value": "Text"},
             "RequiredLevel": {"Value": "None", "CanBeChanged": true, "ManagedPropertyLogicalName": "canmodifyrequirementlevelsettings"},
             "DisplayName": \(label("Name"))},
            {"@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata", "SchemaName": "rapport_SourceId", "MaxLength": 50,
             "DisplayName": \(label("Source id")), "RequiredLevel": {"Value": "None"}}
          ]
        }
        """
    }

    static let columns = [
        #"{"@odata.type":"Microsoft.Dynamics.CRM.IntegerAttributeMetadata","AttributeType":"Integer","AttributeTypeName":{"Value":"IntegerType"},"SchemaName":"rapport_Seq","MinValue":0,"MaxValue":1000000,"Format":"None","DisplayName":\#(label("Sequence")),"RequiredLevel":{"Value":"None"}}"#,
        #"{"@odata.type":"Microsoft.Dynamics.CRM.DecimalAttributeMetadata","AttributeType":"Decimal","AttributeTypeName":{"Value":"DecimalType"},"SchemaName":"rapport_Amount","MinValue":0.0,"MaxValue":1000.0,"Precision":2,"DisplayName":\#(label("Amount")),"RequiredLevel":{"Value":"None"}}"#,
        #"{"@odata.type":"Microsoft.Dynamics.CRM.DateTimeAttributeMetadata","AttributeType":"DateTime","AttributeTypeName":{"Value":"DateTimeType"},"SchemaName":"rapport_Day","Format":"DateOnly","DisplayName":\#(label("Day")),"RequiredLevel":{"Value":"None"}}"#,
        #"{"@odata.type":"Microsoft.Dynamics.CRM.BooleanAttributeMetadata","AttributeType":"Boolean","AttributeTypeName":{"Value":"BooleanType"},"SchemaName":"rapport_Done","DefaultValue":false,"DisplayName":\#(label("Done")),"RequiredLevel":{"Value":"None"}}"#,
    ]

    static var accountRelationship: String {
        """
        {
          "@odata.type": "Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata",
          "SchemaName": "rapport_account_rapport_event",
          "ReferencedEntity": "account",
          "ReferencedAttribute": "accountid",
          "ReferencingEntity": "rapport_event",
          "CascadeConfiguration": {"Assign": "NoCascade", "Delete": "RemoveLink", "Merge": "NoCascade", "Reparent": "NoCascade", "Share": "NoCascade", "Unshare": "NoCascade"},
          "Lookup": {
            "@odata.type": "Microsoft.Dynamics.CRM.LookupAttributeMetadata",
            "AttributeType": "Lookup", "AttributeTypeName": {"Value": "LookupType"},
            "SchemaName": "rapport_AccountId",
            "DisplayName": \(label("Account")),
            "RequiredLevel": {"Value": "None"}
          }
        }
        """
    }

    static var naturalKey: String {
        """
        {"@odata.type": "Microsoft.Dynamics.CRM.EntityKeyMetadata", "SchemaName": "rapport_event_naturalkey",
         "DisplayName": \(label("Natural key")), "KeyAttributes": ["rapport_sourceid", "rapport_seq"]}
        """
    }

    /// Creates the event table, its columns, the lookup to account and the natural key, and waits for the key to be
    /// active by reading it (as a client polls). Returns the entity set name read back and the statuses seen.
    @discardableResult
    func provision(token: String) async throws -> (entitySet: String, statuses: [String]) {
        let solution = [("MSCRM.SolutionUniqueName", "rapportsolution")]
        try expect(try await api("POST", "EntityDefinitions", token: token, json: Self.eventTable, headers: solution), 204)
        for column in Self.columns {
            try expect(try await api("POST", "EntityDefinitions(LogicalName='rapport_event')/Attributes", token: token, json: column, headers: solution), 204)
        }
        try expect(try await api("POST", "RelationshipDefinitions", token: token, json: Self.accountRelationship, headers: solution), 204)
        try expect(try await api("POST", "EntityDefinitions(LogicalName='rapport_event')/Keys", token: token, json: Self.naturalKey, headers: solution), 204)
        var statuses: [String] = []
        for _ in 0..<10 {
            let keys = try await api(
                "GET", "EntityDefinitions(LogicalName='rapport_event')/Keys?$select=SchemaName,KeyAttributes,EntityKeyIndexStatus", token: token,
                headers: [("Consistency", "Strong")])
            let status = keys.json?["value"]?.arrayValue?.first?.objectValue?["EntityKeyIndexStatus"]?.stringValue ?? "?"
            statuses.append(status)
            if status == "Active" { break }
        }
        let table = try await api("GET", "EntityDefinitions(LogicalName='rapport_event')?$select=LogicalName,EntitySetName,PrimaryIdAttribute", token: token)
        return (table.json?["EntitySetName"]?.stringValue ?? "", statuses)
    }

    func expect(_ reply: Reply, _ status: Int) throws {
        guard reply.status == status else { throw HarnessError(message: "expected \(status), got \(reply.status): \(reply.text)") }
    }
}

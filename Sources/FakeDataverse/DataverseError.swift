/// A Web API error: status, the hex code of Microsoft's error-code table, and the message.
///
/// Codes and messages come from learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes
/// unless marked as observed.
struct DataverseError: Error {
    var status: Int
    var code: String
    var message: String
    var headers: [(name: String, value: String)] = []

    // MARK: Identity and access

    static func unauthorized(_ message: String, challenge: String) -> DataverseError {
        DataverseError(status: 401, code: "", message: message, headers: [("WWW-Authenticate", challenge)])
    }

    static let notMember = DataverseError(status: 403, code: "0x80072560", message: "The user is not a member of the organization.")

    static func noRoles(_ userID: String) -> DataverseError {
        DataverseError(status: 403, code: "0x80042f09", message: "The user (Id = \(userID)) has not been assigned any roles.")
    }

    // MARK: Requests

    /// OData URI and query errors (code observed, not in the table).
    static func uri(_ message: String) -> DataverseError {
        DataverseError(status: 400, code: "0x80060888", message: message)
    }

    static func resourceNotFound(_ segment: String) -> DataverseError {
        DataverseError(status: 404, code: "0x80060888", message: "Resource not found for the segment '\(segment)'.")
    }

    static func methodNotAllowed(_ method: String) -> DataverseError {
        DataverseError(status: 405, code: "0x80060888", message: "The requested resource does not support http method '\(method)'.")
    }

    static func invalidArgument(_ message: String) -> DataverseError {
        DataverseError(status: 400, code: "0x80040203", message: message)
    }

    /// ODataClientPayloadError: the body names something the type does not have, or a value of the wrong type.
    static func payload(table: String, _ inner: String) -> DataverseError {
        DataverseError(
            status: 400, code: "0x80048d19",
            message:
                "Error identified in Payload provided by the user for Entity :'\(table)', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: \(inner)"
        )
    }

    static func unknownProperty(_ property: String, table: String) -> DataverseError {
        payload(
            table: table,
            "The property '\(property)' does not exist on type 'Microsoft.Dynamics.CRM.\(table)'. Make sure to only use property names that are defined by the type or mark the type as open type."
        )
    }

    static func unexpected(_ message: String) -> DataverseError {
        DataverseError(status: 500, code: "0x80040216", message: "An unexpected error occurred. \(message)")
    }

    // MARK: Records

    static func recordNotFound(table: String, id: String) -> DataverseError {
        DataverseError(status: 404, code: "0x80040217", message: "\(table) With Id = \(id) Does Not Exist")
    }

    static func recordNotFound(table: String, key: String) -> DataverseError {
        DataverseError(status: 404, code: "0x80040217", message: "A record with the specified key values does not exist in \(table) entity: \(key)")
    }

    static let recordExists = DataverseError(status: 412, code: "0x80040237", message: "A record with matching key values already exists.")

    static let versionMismatch = DataverseError(
        status: 412, code: "0x80060882", message: "The version of the existing record doesn't match the RowVersion property provided.")

    static func keyNotValid(table: String) -> DataverseError {
        uri(
            "The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.\(table)'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.\(table)'."
        )
    }

    static func keyNotDefined(table: String) -> DataverseError {
        DataverseError(status: 400, code: "0x80060890", message: "The specified key attributes are not a defined key for the \(table) entity")
    }

    static func unsupportedKeyCharacter(_ value: String) -> DataverseError {
        uri(
            "The alternate key value '\(value)' contains a character that isn't supported: alternate key values with the characters /,<,>,*,%,&,:,\\,?,+ aren't supported."
        )
    }

    static func duplicateKey(key: String, attributes: [String]) -> DataverseError {
        DataverseError(
            status: 412, code: "0x80060892",
            message:
                "Entity Key \(key) violated. A record with the same value for \(attributes.joined(separator: ",")) already exists. A duplicate record cannot be created. Select one or more unique values and try again."
        )
    }

    static func stringTooLong(column: String, table: String, maxLength: Int) -> DataverseError {
        DataverseError(
            status: 400, code: "0x80044331",
            message:
                "A validation error occurred. A string value provided is too long. The length of the '\(column)' attribute of the '\(table)' entity exceeded the maximum allowed length of '\(maxLength)'."
        )
    }

    /// Observed code (ValueOutOfRange-style message).
    static func outOfRange(_ value: String, column: String, table: String, accepted: String) -> DataverseError {
        DataverseError(
            status: 400, code: "0x8004431a",
            message: "A validation error occurred. The value \(value) of '\(column)' on record of type '\(table)' is outside the valid range. Accepted Values: \(accepted)")
    }

    // MARK: Metadata

    static func invalidPrefix(_ schemaName: String, type: String) -> DataverseError {
        DataverseError(
            status: 400, code: "0x80044366",
            message:
                "The schema name \(schemaName) for type \(type) is invalid or missing. Custom attribute, entity, entitykey, option set and relationship names must start with a valid customization prefix. The prefix for a solution component should match the prefix that is specified for the publisher of the solution."
        )
    }

    static func duplicateName(_ name: String) -> DataverseError {
        DataverseError(status: 400, code: "0x80047010", message: "An object with the specified name already exists: \(name)")
    }

    static func keyNameExists(_ name: String, table: String) -> DataverseError {
        DataverseError(status: 400, code: "0x80060893", message: "An entity key with the name \(name) already exists on entity \(table).")
    }

    static let keyAttributesExist = DataverseError(
        status: 400, code: "0x80060894", message: "An entity key with the selected attributes already exists on entity.")

    static func metadataNotFound(_ what: String) -> DataverseError {
        DataverseError(status: 404, code: "0x80040217", message: "Could not find \(what).")
    }

    // MARK: Service protection (learn.microsoft.com/power-apps/developer/data-platform/api-limits)

    static func tooManyRequests(limit: Int, windowSeconds: Int, retryAfter: Int) -> DataverseError {
        DataverseError(
            status: 429, code: "0x80072322", message: "Number of requests exceeded the limit of \(limit) over time window of \(windowSeconds) seconds.",
            headers: [("Retry-After", String(retryAfter))])
    }

    static func executionTime(limitMilliseconds: Int, windowSeconds: Int, retryAfter: Int) -> DataverseError {
        DataverseError(
            status: 429, code: "0x80072321",
            message:
                "Combined execution time of incoming requests exceeded limit of \(grouped(limitMilliseconds))  milliseconds over time window of \(windowSeconds) seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.",
            headers: [("Retry-After", String(retryAfter))])
    }

    static func concurrency(limit: Int, retryAfter: Int) -> DataverseError {
        DataverseError(
            status: 429, code: "0x80072326", message: "Number of concurrent requests exceeded the limit of \(limit).",
            headers: [("Retry-After", String(retryAfter))])
    }

    /// The message Microsoft documents for a throttling code, for injected 429s.
    static func throttling(code: String, limits: FakeDataverseLimits, retryAfter: Int) -> DataverseError {
        switch code {
        case "0x80072321":
            executionTime(limitMilliseconds: limits.executionTimeLimitMilliseconds, windowSeconds: Int(limits.windowSeconds.rounded()), retryAfter: retryAfter)
        case "0x80072326": concurrency(limit: limits.concurrencyLimit, retryAfter: retryAfter)
        default: tooManyRequests(limit: limits.requestLimit, windowSeconds: Int(limits.windowSeconds.rounded()), retryAfter: retryAfter)
        }
    }

    /// `1200000` → `1,200,000`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(abs(value)))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}

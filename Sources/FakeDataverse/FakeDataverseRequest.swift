import FakeServiceKit

/// A request to the fake Dataverse (the shared raw request of the fakes).
public typealias FakeDataverseRequest = FakeHTTPRequest

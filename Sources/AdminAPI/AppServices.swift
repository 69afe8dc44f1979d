import Foundation
import Platform

/// What `AdminApplication` is built from: the platform and the request-size limits.
public struct AppServices: Sendable {
    public var platform: Platform
    /// `http.max.body.bytes`: the largest request body accepted.
    public var maximumBodyBytes: Int
    /// The largest activity batch or directory accepted, in bytes after decompression.
    public var maximumActivityBytes: Int

    public init(platform: Platform, maximumBodyBytes: Int = 1 << 20, maximumActivityBytes: Int = 256 << 20) {
        self.platform = platform
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumActivityBytes = maximumActivityBytes
    }

    /// Builds the platform too (the tests' shape).
    public init(
        control: TenantStore, regions: RegionDatabases, serviceSecret: [UInt8], maximumBodyBytes: Int = 1 << 20,
        maximumActivityBytes: Int = 256 << 20, now: (@Sendable () -> Date)? = nil
    ) {
        self.init(
            platform: Platform(control: control, regions: regions, serviceSecret: serviceSecret, now: now),
            maximumBodyBytes: maximumBodyBytes, maximumActivityBytes: maximumActivityBytes)
    }
}

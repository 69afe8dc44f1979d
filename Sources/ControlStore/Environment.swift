import Engagement
import Foundation

/// A tenant's customer-data workspace, bound for life to one region.
public struct Environment: Sendable, Codable, Equatable {
    public enum ProfileType: String, Sendable, Codable, CaseIterable {
        case businessAccounts = "business_accounts"
        case individualCustomers = "individual_customers"
    }

    public var id: UUID
    public var tenantID: UUID
    public var name: String
    public var region: Region
    public var profileType: ProfileType
    public var createdAt: Date
}

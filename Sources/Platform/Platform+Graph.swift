import Foundation

extension Platform {
    /// Seals and opens tenants' Graph client secrets.
    public var graphSecretBox: GraphSecretBox { GraphSecretBox(settings: graph, serviceSecret: serviceSecret) }

    public var graphRegistrations: GraphRegistrationStore { GraphRegistrationStore(pool: control.pool, box: graphSecretBox) }

    public var graphAdminConsent: GraphAdminConsent {
        GraphAdminConsent(pool: control.pool, secret: serviceSecret, publicBaseURL: publicBaseURL, settings: graph)
    }

    public var graphRunMailboxes: GraphRunMailboxStore { GraphRunMailboxStore(pool: control.pool) }

}

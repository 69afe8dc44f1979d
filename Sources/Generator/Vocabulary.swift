/// The word lists names, domains and subjects are built from.
///
/// Company names are two invented words (`Brightlake Systems`), so generated
/// domains (`brightlake-systems.com`) are unlikely to be real businesses and
/// never collide with the free-mail list. A few person names carry accents,
/// which the mail writer encodes as RFC 2047 words.
enum Vocabulary {
    static let firstNames: [String] = [
        "Ada", "Alan", "Amara", "Anders", "Anika", "Arjun", "Beatriz", "Ben", "Bianca", "Carlos", "Chen", "Chloe",
        "Dana", "Daniel", "Deepa", "Diego", "Elena", "Elif", "Emma", "Erik", "Fatima", "Felix", "Fiona", "Grace",
        "Hana", "Hannah", "Hugo", "Ines", "Isaac", "Ivan", "Jada", "James", "Jana", "Jonas", "Julia", "Kai", "Kamal",
        "Karin", "Kenji", "Laila", "Lars", "Leo", "Lena", "Liam", "Lucia", "Maya", "Mateo", "Mei", "Mia", "Milan",
        "Nadia", "Naomi", "Niamh", "Nikhil", "Noah", "Nora", "Olga", "Omar", "Oscar", "Paula", "Pedro", "Priya",
        "Quinn", "Rafael", "Rania", "Rosa", "Ruth", "Sam", "Sara", "Sean", "Sofia", "Sven", "Tara", "Theo", "Tomas",
        "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe", "Zara",
    ]

    static let lastNames: [String] = [
        "Abbott", "Adeyemi", "Andersen", "Bauer", "Becker", "Bianchi", "Brennan", "Brown", "Byrne", "Carter", "Chen",
        "Costa", "Dubois", "Duarte", "Eriksen", "Evans", "Fischer", "Fontaine", "Garcia", "Gomez", "Gupta", "Hansen",
        "Harris", "Hoffmann", "Hughes", "Iyer", "Jansen", "Johnson", "Kaur", "Kelly", "Khan", "Kim", "Kowalski",
        "Larsen", "Lee", "Lopez", "Martin", "Meyer", "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor",
        "Olsen", "Patel", "Perez", "Petrov", "Quinn", "Reyes", "Ricci", "Rossi", "Santos", "Schmidt", "Schneider",
        "Silva", "Singh", "Smith", "Sorensen", "Tanaka", "Taylor", "Thomas", "Torres", "Varga", "Walsh", "Weber",
        "Williams", "Wong", "Yamamoto", "Young", "Zhang", "Zimmermann",
    ]

    /// Display names with accents, and the ASCII spelling of their addresses.
    static let accentedNames: [(display: String, first: String, last: String)] = [
        ("José Müller", "jose", "muller"), ("Zoë Ångström", "zoe", "angstrom"), ("Søren Kierkegård", "soren", "kierkegard"),
        ("Chloé Lefèvre", "chloe", "lefevre"), ("Łukasz Wójcik", "lukasz", "wojcik"), ("Renée Dupré", "renee", "dupre"),
        ("Ümit Çelik", "umit", "celik"), ("François Gérard", "francois", "gerard"),
    ]

    static let companyFirst: [String] = [
        "Amber", "Apex", "Arbor", "Argent", "Aster", "Aurora", "Azure", "Basalt", "Beacon", "Birch", "Blue", "Bright",
        "Brook", "Cedar", "Cobalt", "Copper", "Coral", "Crest", "Crystal", "Delta", "Ember", "Evergreen", "Falcon",
        "Fern", "Flint", "Forge", "Granite", "Harbor", "Hazel", "Helix", "Heron", "Horizon", "Indigo", "Iron", "Juniper",
        "Kestrel", "Lantern", "Larch", "Linden", "Lumen", "Maple", "Marble", "Meadow", "Meridian", "Nimbus", "North",
        "Oak", "Onyx", "Orbit", "Osprey", "Pebble", "Pine", "Polar", "Quartz", "Raven", "Ridge", "River", "Saffron",
        "Sage", "Silver", "Slate", "Solstice", "Spruce", "Stone", "Summit", "Swift", "Thistle", "Tidal", "Timber",
        "Topaz", "True", "Umber", "Vale", "Vertex", "Willow", "Wren", "Zephyr", "Zenith",
    ]

    static let companySecond: [String] = [
        "Analytics", "Bank", "Biotech", "Brewing", "Capital", "Components", "Consulting", "Dynamics", "Energy",
        "Engineering", "Foods", "Freight", "Health", "Holdings", "Industries", "Insurance", "Labs", "Logistics",
        "Manufacturing", "Media", "Medical", "Mining", "Networks", "Partners", "Pharma", "Retail", "Robotics",
        "Shipping", "Software", "Solutions", "Systems", "Telecom", "Textiles", "Trading", "Travel", "Ventures", "Works",
    ]

    static let topLevelDomains: [String] = ["com", "com", "com", "com", "co.uk", "de", "fr", "io", "net", "nl", "eu"]

    static let regions: [(label: String, name: String)] = [
        ("eu", "Europe"), ("us", "Americas"), ("uk", "UK"), ("de", "Deutschland"), ("apac", "APAC"),
    ]

    static let freeMailDomains: [String] = ["gmail.com", "outlook.com", "yahoo.co.uk", "hotmail.com", "gmx.de", "icloud.com", "proton.me"]

    static let strangerDomains: [String] = ["unlisted-prospects.net", "cold-leads.biz", "conference-attendees.org", "random-startup.io"]

    static let vendorNames: [(name: String, domain: String)] = [
        ("SaaS Weekly", "saas-weekly-news.com"), ("Cloud Digest", "clouddigest-mail.net"), ("Industry Insider", "industry-insider.org"),
    ]

    static let timeZones: [String] = [
        "Europe/London", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Amsterdam", "America/New_York",
        "America/Chicago", "America/Los_Angeles", "Asia/Singapore",
    ]

    static let topics: [String] = [
        "Renewal terms for next year", "Quarterly business review", "Pricing proposal", "Pilot results", "Security questionnaire",
        "Implementation timeline", "Invoice query", "Contract redlines", "Onboarding plan", "Feature request: SSO",
        "Data migration", "Support escalation", "Roadmap briefing", "Reference call", "Budget approval", "Training sessions",
        "Integration with ERP", "Licence true-up", "Executive sponsor intro", "Proof of concept scope",
    ]

    static let meetingTopics: [String] = [
        "Weekly sync", "QBR", "Demo", "Kick-off", "Technical deep dive", "Pricing discussion", "Steering committee",
        "Workshop", "Contract review", "Check-in",
    ]

    static let bodies: [String] = [
        "Hi {to},\n\nThanks for the update. Let's discuss the details on our next call.\n\nBest regards,\n{from}",
        "Hello {to},\n\nPlease find my comments below. Could you confirm by Friday?\n\nThanks,\n{from}",
        "Dear {to},\n\nFollowing up on my last message: do you have any news?\n\nKind regards,\n{from}",
        "Hi {to},\n\nSounds good to me. I have looped in the team.\n\nCheers,\n{from}",
    ]
}

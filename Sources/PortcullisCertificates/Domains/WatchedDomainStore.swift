import Foundation
import PortcullisConfig

/// One domain of the DNS watch (provisioning on arrival), as kept in `<state_dir>/domains.json`.
public struct WatchedDomain: Codable, Sendable, Equatable {
    /// States shown by the API and the CLI (`failed: …` carries the reason).
    public static let waiting = "waiting for DNS"
    public static let ordering = "ordering"
    public static let deployed = "deployed"

    /// The customer's name, lower case.
    public var domain: String
    /// What it must point at: a CNAME to this name, or this name's addresses.
    public var expect: String
    /// `waiting for DNS`, `ordering`, `deployed` or `failed: REASON`.
    public var state: String
    /// When it was added (ISO 8601).
    public var added: String
    /// When DNS was last checked, and what went wrong then (nil when the lookup got an answer).
    public var lastChecked: String?
    public var lastError: String?
    /// When DNS was first seen pointing here (ISO 8601).
    public var pointedAt: String?

    public init(domain: String, expect: String, added: Date) {
        (self.domain, self.expect, self.state) = (domain, expect, Self.waiting)
        self.added = added.formatted(.iso8601)
    }

    /// Whether the domain has a site in service (it points here, or did).
    public var hasSite: Bool { self.state != Self.waiting }

    /// The store name of its certificate (as for a `[[site]]` with this one host).
    public var certificateName: String { self.domain }
}

/// `<state_dir>/domains.json` (0600, written atomically under the store lock), shared by the running
/// server, the admin API and `portcullis domains`.
public struct WatchedDomainStore: Sendable {
    /// Domains kept at most.
    public static let maxDomains = 1000
    let layout: StoreLayout

    public init(stateDir: String) { self.layout = StoreLayout(stateDir: stateDir) }

    public var path: String { self.layout.stateDir + "/domains.json" }

    /// Every domain, in the order added; empty when the file does not exist.
    public func load() throws -> [WatchedDomain] {
        guard let data = FileManager.default.contents(atPath: self.path) else { return [] }
        do {
            return try JSONDecoder().decode([WatchedDomain].self, from: data)
        } catch {
            throw CertificateStoreError.invalidMetadata(path: self.path, detail: "\(error)")
        }
    }

    /// Reads, changes and writes the list under the store lock; nothing is written when `body` throws.
    @discardableResult
    public func update<T>(_ body: (inout [WatchedDomain]) throws -> T) throws -> T {
        try StoreLock.withLock(self.layout) {
            var domains = try self.load()
            let before = domains
            let result = try body(&domains)
            if domains != before {
                let data = try JSONEncoder.sortedPretty.encode(domains)
                try AtomicFile.write(Array(data), to: self.path, mode: 0o600)
            }
            return result
        }
    }

    /// Adds `domain` watching for `expect`; throws a one-sentence refusal.
    public func add(domain: String, expect: String, now: Date = Date()) throws -> WatchedDomain {
        let (domain, expect) = (Self.normalize(domain), Self.normalize(expect))
        for (field, name) in [("domain", domain), ("expect", expect)] {
            if let problem = HostNameSyntax.problem(with: name, allowWildcard: false) {
                throw DomainWatchError.invalid("\(field): \(problem)")
            }
        }
        guard domain != expect else { throw DomainWatchError.invalid("domain and expect are the same name") }
        return try self.update { domains in
            guard !domains.contains(where: { $0.domain == domain }) else {
                throw DomainWatchError.conflict("domain \"\(domain)\" is already watched")
            }
            guard domains.count < Self.maxDomains else {
                throw DomainWatchError.conflict("at most \(Self.maxDomains) domains can be watched")
            }
            let entry = WatchedDomain(domain: domain, expect: expect, added: now)
            domains.append(entry)
            return entry
        }
    }

    /// Removes `domain`; throws when it is not watched.
    public func remove(domain: String) throws {
        let domain = Self.normalize(domain)
        try self.update { domains in
            guard let index = domains.firstIndex(where: { $0.domain == domain }) else {
                throw DomainWatchError.notFound("domain \"\(domain)\" is not watched")
            }
            domains.remove(at: index)
        }
    }

    static func normalize(_ name: String) -> String {
        var text = name.lowercased()
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// Why a DNS-watch change was refused; `description` is the sentence the API and CLI show.
public enum DomainWatchError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalid(String)
    case conflict(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .invalid(let text), .conflict(let text), .notFound(let text): return text
        }
    }
}

extension JSONEncoder {
    /// Stable output, so an unchanged list writes the same bytes.
    static var sortedPretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}

import Foundation
import PortcullisCore

/// One domain of the DNS watch, as the API shows it.
public struct DomainInfo: Codable, Sendable, Equatable {
    public var domain: String
    public var expect: String
    /// `waiting for DNS`, `ordering`, `deployed` or `failed: …`.
    public var state: String
    public var added: String
    public var lastChecked: String?
    public var lastError: String?
    public var pointedAt: String?

    public init(
        domain: String, expect: String, state: String, added: String, lastChecked: String?, lastError: String?,
        pointedAt: String?
    ) {
        (self.domain, self.expect, self.state, self.added) = (domain, expect, state, added)
        (self.lastChecked, self.lastError, self.pointedAt) = (lastChecked, lastError, pointedAt)
    }

    enum CodingKeys: String, CodingKey {
        case domain, expect, state, added
        case lastChecked = "last_checked"
        case lastError = "last_error"
        case pointedAt = "pointed_at"
    }
}

/// What `/api/v1/domains` needs (a backend without it answers 404). Same contract as `AdminBackend`.
public protocol DomainsBackend: AnyObject {
    func listDomains() -> [DomainInfo]
    /// Starts watching `domain` for a CNAME to (or the addresses of) `expect`.
    func addDomain(_ domain: String, expect: String) throws -> DomainInfo
    /// Stops watching `domain` and drops its provisioned site.
    func removeDomain(_ domain: String) throws
}

/// `/api/v1/domains` and `/api/v1/domains/{domain}`.
extension AdminAPI {
    func domainsRoute(_ request: HTTPServerRequest, method: String, rest: [String]) throws -> HTTPServerResponse {
        guard let backend = self.backend as? DomainsBackend else { throw AdminError(.notFound, "no such route") }
        switch (rest.count, method) {
        case (0, "GET"): return AdminJSON.response(status: 200, backend.listDomains())
        case (0, "POST"):
            let body = try AdminJSON.decode(DomainBody.self, from: request.body)
            return AdminJSON.response(status: 201, try backend.addDomain(body.domain, expect: body.expect))
        case (0, _): return Self.methodNotAllowed(["GET", "POST"])
        case (1, "GET"):
            guard let info = backend.listDomains().first(where: { $0.domain == rest[0].lowercased() }) else {
                throw AdminError(.notFound, "domain \"\(rest[0])\" is not watched")
            }
            return AdminJSON.response(status: 200, info)
        case (1, "DELETE"):
            try backend.removeDomain(rest[0])
            return HTTPServerResponse(status: 204)
        case (1, _): return Self.methodNotAllowed(["GET", "DELETE"])
        default: throw AdminError(.notFound, "no such route")
        }
    }
}

/// `POST /api/v1/domains` body.
struct DomainBody: Decodable {
    var domain: String
    var expect: String
}

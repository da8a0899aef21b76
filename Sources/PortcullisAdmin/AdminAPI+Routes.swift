import Foundation
import PortcullisCore

/// The route table: public routes (health, dashboard files, sign-in) and the authenticated ones.
extension AdminAPI {
    /// Routes that need no token; nil when `target` is not one of them.
    func publicRoute(_ request: HTTPServerRequest, target: AdminTarget) -> HTTPServerResponse? {
        let method = request.method == "HEAD" ? "GET" : request.method
        switch (method, target.segments.first) {
        case ("GET", "healthz") where target.segments.count == 1:
            return HTTPServerResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("ok\n".utf8))
        case (_, "login") where target.segments.count == 1:
            return method == "POST" ? self.login(request) : Self.methodNotAllowed(["POST"])
        case (_, "logout") where target.segments.count == 1:
            return method == "POST" ? self.logout(request) : Self.methodNotAllowed(["POST"])
        case ("GET", nil), ("GET", "assets"):
            guard let asset = self.assets?.asset(at: target.path) else {
                return Problem(status: 404, detail: "no such page: \(target.path)").response
            }
            return HTTPServerResponse(status: 200, headers: [("Content-Type", asset.contentType)], body: asset.body)
        default:
            return nil
        }
    }

    /// Routes behind the token or a session.
    func protectedRoute(_ request: HTTPServerRequest, target: AdminTarget, principal: Principal) throws -> HTTPServerResponse {
        let method = request.method == "HEAD" ? "GET" : request.method
        let segments = target.segments
        if segments == ["metrics"] {
            guard method == "GET" else { return Self.methodNotAllowed(["GET"]) }
            let text = self.backend.metricsText()
            return HTTPServerResponse(
                status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: Array(text.utf8))
        }
        guard segments.count >= 3, segments[0] == "api", segments[1] == "v1" else {
            throw AdminError(.notFound, "no such route: \(target.path)")
        }
        let rest = Array(segments.dropFirst(2))
        switch rest[0] {
        case "certificates": return try self.certificatesRoute(request, method: method, rest: Array(rest.dropFirst()), target: target)
        case "sites" where rest.count == 1:
            guard method == "GET" else { return Self.methodNotAllowed(["GET"]) }
            return AdminJSON.response(status: 200, self.backend.sites())
        case "policies": return try self.policiesRoute(method: method, rest: Array(rest.dropFirst()))
        case "domains": return try self.domainsRoute(request, method: method, rest: Array(rest.dropFirst()))
        case "reload" where rest.count == 1:
            guard method == "POST" else { return Self.methodNotAllowed(["POST"]) }
            return AdminJSON.response(status: 200, ["generation": try self.backend.reload()])
        case "events" where rest.count == 1:
            guard method == "GET" else { return Self.methodNotAllowed(["GET"]) }
            return try self.events(target)
        case "openapi.json" where rest.count == 1:
            guard method == "GET" else { return Self.methodNotAllowed(["GET"]) }
            return HTTPServerResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(OpenAPIDocument.json.utf8))
        case "session" where rest.count == 1:
            guard method == "GET" else { return Self.methodNotAllowed(["GET"]) }
            return self.sessionInfo(principal)
        default:
            throw AdminError(.notFound, "no such route: \(target.path)")
        }
    }

    /// `/api/v1/policies` and `/api/v1/policies/{name}`.
    private func policiesRoute(method: String, rest: [String]) throws -> HTTPServerResponse {
        guard method == "GET" else { return Self.methodNotAllowed(["GET"]) }
        let policies = self.backend.policies()
        switch rest.count {
        case 0: return AdminJSON.response(status: 200, policies)
        case 1:
            guard let policy = policies.first(where: { $0.name == rest[0] }) else {
                throw AdminError(.notFound, "unknown security policy \"\(rest[0])\"; GET /api/v1/policies lists them")
            }
            return AdminJSON.response(status: 200, policy)
        default: throw AdminError(.notFound, "no such route")
        }
    }

    /// `GET /api/v1/events?after=SEQ`.
    private func events(_ target: AdminTarget) throws -> HTTPServerResponse {
        var after: UInt64 = 0
        if let text = target.query["after"] {
            guard let value = UInt64(text) else {
                throw AdminError(.badRequest, "the query parameter after must be a sequence number (0 or more), not \"\(text)\"")
            }
            after = value
        }
        let events = self.backend.events(after: after).map { event in
            EventInfo(
                seq: event.seq, time: Date(timeIntervalSince1970: event.time).formatted(.iso8601), kind: event.kind.rawValue,
                name: event.name, message: event.message)
        }
        return AdminJSON.response(status: 200, events)
    }

    /// 405 with `Allow`.
    static func methodNotAllowed(_ allowed: [String]) -> HTTPServerResponse {
        var response = Problem(status: 405, detail: "this route accepts \(allowed.joined(separator: ", ")) only").response
        response.headers.append(("Allow", allowed.joined(separator: ", ")))
        return response
    }
}

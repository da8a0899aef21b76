import Foundation
import PortcullisCore

/// The admin API: authentication, routing and error mapping in front of an `AdminBackend`. Pure
/// request-in, response-out; `HTTPServer` (evhttp) carries it on the control thread.
public final class AdminAPI {
    /// Settings taken from `[admin]`.
    public struct Configuration: Sendable {
        /// The bearer token (`token_file`).
        public var token: String
        /// `metrics_token`: whether `/metrics` needs the token.
        public var metricsNeedToken = true
        /// How long a dashboard session lasts, in seconds.
        public var sessionLifetime: Double = 12 * 3600
        /// At most this many sessions at once; the oldest is dropped for a new one.
        public var maxSessions = 64

        /// Settings with `token` and the defaults.
        public init(token: String) { self.token = token }
    }

    /// Who made a request.
    enum Principal {
        case token
        case session(SessionStore.Session)
        case anonymous
    }

    let backend: AdminBackend
    let configuration: Configuration
    let sessions: SessionStore
    /// Static files of the dashboard, served at `/` and `/assets/…` (nil: those paths are 404).
    public var assets: AdminAssetSource?
    /// Seconds since the epoch; replaceable for tests of session expiry.
    var now: () -> Double = { Date().timeIntervalSince1970 }

    /// An API over `backend`.
    public init(backend: AdminBackend, configuration: Configuration, assets: AdminAssetSource? = nil) {
        self.backend = backend
        self.configuration = configuration
        self.sessions = SessionStore(lifetime: configuration.sessionLifetime, capacity: configuration.maxSessions)
        self.assets = assets
    }

    /// Answers one request; every response carries the security headers.
    public func handle(_ request: HTTPServerRequest) -> HTTPServerResponse {
        var response = self.route(request)
        response.headers += SecurityHeaders.all
        if request.method == "HEAD" { response.body = [] }
        return response
    }

    private func route(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let target = AdminTarget(uri: request.uri) else {
            return Problem(status: 400, detail: "the request target is not valid percent-encoding").response
        }
        if let origin = request.header("origin"), origin != Self.ownOrigin(request) {
            return Problem(status: 403, detail: "cross-origin requests are refused (Origin \(origin))").response
        }
        let method = request.method == "HEAD" ? "GET" : request.method
        if let allowed = AdminRouteMethods.allowed(target.segments), !allowed.contains(method) {
            return Self.methodNotAllowed(allowed)
        }
        if let response = self.publicRoute(request, target: target) { return response }
        let principal = self.principal(request)
        if case .anonymous = principal, !(target.path == "/metrics" && !self.configuration.metricsNeedToken) {
            return self.unauthorized(request)
        }
        if case .session(let session) = principal, !["GET", "HEAD", "OPTIONS"].contains(request.method),
            !ConstantTime.equals(session.csrfToken, request.header("x-csrf-token") ?? "")
        {
            return Problem(status: 403, detail: "a request made with the session cookie needs the X-CSRF-Token header").response
        }
        do {
            return try self.protectedRoute(request, target: target, principal: principal)
        } catch let error as AdminError {
            return Problem(error).response
        } catch {
            return Problem(status: 500, detail: "internal error: \(error)").response
        }
    }

    /// The origin this server is reached at: scheme plus the Host header.
    static func ownOrigin(_ request: HTTPServerRequest) -> String {
        (request.isTLS ? "https://" : "http://") + (request.header("host") ?? "")
    }

    /// Bearer token, else a live session cookie, else anonymous. A wrong token is anonymous.
    private func principal(_ request: HTTPServerRequest) -> Principal {
        if let authorization = request.header("authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer",
                ConstantTime.equals(self.configuration.token, parts[1].trimmingCharacters(in: .whitespaces))
            {
                return .token
            }
            return .anonymous
        }
        if let session = self.sessions.session(cookieHeader: request.header("cookie"), now: self.now()) {
            return .session(session)
        }
        return .anonymous
    }

    private func unauthorized(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let detail =
            request.header("authorization") == nil
            ? "this route needs Authorization: Bearer <token> (the admin token file) or a session"
            : "the bearer token is not the admin token"
        var response = Problem(status: 401, detail: detail).response
        response.headers.append(("WWW-Authenticate", "Bearer realm=\"portcullis\""))
        return response
    }
}

/// Headers on every admin response: no caching of secrets, no framing, no referrers, same-origin only.
enum SecurityHeaders {
    static let all: [(name: String, value: String)] = [
        ("Cache-Control", "no-store"),
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
    ]
}

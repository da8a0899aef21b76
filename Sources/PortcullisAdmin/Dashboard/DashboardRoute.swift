/// What the dashboard route answers: the admin server copies status, headers and body onto its reply.
public struct DashboardResponse: Sendable {
    public let status: Int
    /// Every header to send, `Content-Type` included.
    public let headers: [(name: String, value: String)]
    /// Empty for HEAD and for errors without a body.
    public let body: [UInt8]
}

/// Serves the embedded dashboard at `/` and `/assets/...`. Pure: the admin server (evhttp on the control
/// loop) calls `respond` for any path this claims and writes the result; no session is needed to load
/// the page itself, because the page holds no data until the API, which checks the session, answers.
public enum DashboardRoute {
    /// Sent with every dashboard response. `default-src 'self'` forbids inline script and style, other
    /// origins and `data:` URLs; the page is built to need none of them.
    public static let securityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "no-cache"),
    ]

    /// Whether `path` (query included or not) belongs to the dashboard rather than the API.
    public static func claims(path: String) -> Bool {
        let path = self.stripQuery(path)
        return path == "/" || path == "/index.html" || path.hasPrefix("/assets/")
    }

    /// The response for `method` and `path`: the asset for GET/HEAD, 404 for an unknown asset, 405 for
    /// other methods; `nil` when the path is not the dashboard's.
    public static func respond(method: String, path: String) -> DashboardResponse? {
        guard self.claims(path: path) else { return nil }
        var path = self.stripQuery(path)
        if path == "/index.html" { path = "/" }
        guard method == "GET" || method == "HEAD" else {
            return self.plain(405, "method not allowed\n", extra: [("Allow", "GET, HEAD")], head: false)
        }
        guard let asset = DashboardAsset.all[path] else {
            return self.plain(404, "not found\n", extra: [], head: method == "HEAD")
        }
        let headers = [("Content-Type", asset.contentType)] + self.securityHeaders
        return DashboardResponse(status: 200, headers: headers, body: method == "HEAD" ? [] : asset.body)
    }

    private static func plain(
        _ status: Int, _ text: String, extra: [(name: String, value: String)], head: Bool
    ) -> DashboardResponse {
        let headers = [("Content-Type", "text/plain; charset=utf-8")] + extra + self.securityHeaders
        return DashboardResponse(status: status, headers: headers, body: head ? [] : Array(text.utf8))
    }

    private static func stripQuery(_ path: String) -> String {
        guard let mark = path.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return path }
        return String(path[..<mark])
    }
}

/// `[admin]`: the authenticated admin API and metrics endpoint, served on the control thread.
public struct AdminSettings: Sendable, Equatable {
    /// `bind`: IP literal and port; loopback unless `allowRemote`. Port 0 picks a free port (ready file).
    public var bind = SocketAddressSpec(host: "127.0.0.1", port: 9180)
    /// `token_file`: absolute path of the bearer token file (default `<state_dir>/admin.token`).
    public var tokenFile: String
    /// `tls`: serve HTTPS with `certificate` from the store.
    public var tls = false
    /// `certificate`: store name of the admin listener's certificate (required with `tls = true`).
    public var certificate: String?
    /// `allow_remote`: permit a non-loopback `bind` (requires `tls`).
    public var allowRemote = false
    /// `metrics_token`: false lets `GET /metrics` through without the token.
    public var metricsToken = true
    /// `session_lifetime`: seconds a dashboard sign-in stays valid (default 12 hours).
    public var sessionLifetime: Double = 12 * 3600
    /// Line of the `[admin]` header, for messages.
    public var line = 0

    /// Settings with the documented defaults; `tokenFile` is resolved by the loader.
    public init(tokenFile: String) {
        self.tokenFile = tokenFile
    }

    /// Whether `host` is a loopback literal (127.0.0.0/8 or ::1).
    public static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}

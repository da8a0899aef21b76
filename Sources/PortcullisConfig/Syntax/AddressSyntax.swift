/// `host:port` strings: listener `bind` addresses (IP literals, port 0 allowed) and `upstreams`
/// (IP literals or host names, port 1–65535). IPv6 literals are bracketed: `[::1]:8443`.
enum AddressSyntax {
    /// Where an address is used; decides what the host may be and which ports are valid.
    enum Role: Sendable {
        /// `[[listener]] bind`: an IPv4 or `[IPv6]` literal; port 0 asks the kernel for a free port.
        case bind
        /// `[[site]] upstreams`: an IP literal or a host name; port 1–65535.
        case upstream
        /// `[acme] resolver`: a DNS server, an IP literal; port 1–65535.
        case nameserver

        /// An example for messages.
        var example: String {
            switch self {
            case .bind: "\"127.0.0.1:8443\" or \"[::1]:8443\""
            case .upstream: "\"127.0.0.1:3000\""
            case .nameserver: "\"127.0.0.1:53\" or \"[::1]:53\""
            }
        }
        /// Lowest valid port.
        var minimumPort: Int { self == .bind ? 0 : 1 }
    }

    /// Why an address could not be parsed; `message` completes "expected …, found …" style sentences.
    struct Problem: Error, Sendable, Equatable {
        var message: String
    }

    /// Parses `text` for `role`.
    static func parse(_ text: String, role: Role) throws(Problem) -> SocketAddressSpec {
        let (host, portText) = try self.split(text, role: role)
        try self.checkHost(host, bracketed: text.hasPrefix("["), role: role)
        return SocketAddressSpec(host: host.lowercased(), port: try self.port(portText, role: role))
    }

    /// Splits into host (brackets removed) and port text.
    private static func split(_ text: String, role: Role) throws(Problem) -> (Substring, Substring) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw Problem(message: "\"\(text)\": expected \"]\" after the IPv6 address")
            }
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw self.missingPort(text, role: role) }
            return (text[text.index(after: text.startIndex)..<close], rest.dropFirst())
        }
        guard let colon = text.lastIndex(of: ":") else { throw self.missingPort(text, role: role) }
        let host = text[..<colon]
        if host.contains(":") {
            throw Problem(message: "\"\(text)\": IPv6 addresses need brackets, as in \"[::1]:8443\"")
        }
        return (host, text[text.index(after: colon)...])
    }

    /// The host must be an IP literal for `bind`, and may also be a DNS name for upstreams.
    private static func checkHost(_ host: Substring, bracketed: Bool, role: Role) throws(Problem) {
        let host = String(host)
        if bracketed {
            guard IPAddressSyntax.isIPv6(host) else { throw Problem(message: "\"\(host)\" is not an IPv6 address") }
            return
        }
        guard host.isEmpty || !IPAddressSyntax.isIPv4(host) else { return }
        switch role {
        case .bind, .nameserver:
            throw Problem(message: "\"\(host)\" is not an IP address; expected an address like \(role.example)")
        case .upstream:
            if let problem = HostNameSyntax.problem(with: host.lowercased(), allowWildcard: false) {
                throw Problem(message: "\(problem); expected an IP address or host name, as in \(role.example)")
            }
        }
    }

    /// Parses the decimal port and checks its range.
    private static func port(_ text: Substring, role: Role) throws(Problem) -> Int {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text)
        else { throw Problem(message: "port \"\(text)\" is not a number from \(role.minimumPort) to 65535") }
        guard (role.minimumPort...65535).contains(port) else {
            throw Problem(message: "port \(port) is out of range \(role.minimumPort)–65535")
        }
        return port
    }

    /// The error for a string without `:port`.
    private static func missingPort(_ text: String, role: Role) -> Problem {
        Problem(message: "\"\(text)\" has no port; expected host:port, as in \(role.example)")
    }
}

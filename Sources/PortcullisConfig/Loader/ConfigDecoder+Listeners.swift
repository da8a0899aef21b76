/// `[[listener]]`.
extension ConfigDecoder {
    /// Every key a `[[listener]]` accepts.
    static let listenerKeys = [
        "bind", "tls", "default_certificate", "https_redirect_port", "policy", "on_demand", "default_site", "unknown_host",
    ]

    /// A decoded listener with the scope it came from, for later cross-checks.
    struct DecodedListener {
        var config: ListenerConfig
        var scope: Scope
    }

    /// Decodes every listener and reports two listeners on the same address (port 0 may repeat: each
    /// picks its own free port).
    func decodeListeners(_ readers: [TableReader]) -> [DecodedListener] {
        var decoded: [DecodedListener] = []
        var firstLine: [SocketAddressSpec: Int] = [:]
        for reader in readers {
            let bind = self.bindAddress(reader)
            if let bind { self.checkDuplicateBind(bind, in: reader, firstLine: &firstLine) }
            if let listener = self.decodeListener(reader, bind: bind) {
                decoded.append(DecodedListener(config: listener, scope: reader.scope))
            }
        }
        return decoded
    }

    /// The required `bind` address; nil (after reporting) when missing or bad.
    private func bindAddress(_ reader: TableReader) -> SocketAddressSpec? {
        let expected = "an address like \(AddressSyntax.Role.bind.example)"
        guard reader.require("bind", expected: expected) else { return nil }
        return self.address("bind", in: reader, role: .bind, expected: expected)
    }

    /// Reports `bind` when an earlier listener has the same address (`firstLine` maps address to line).
    private func checkDuplicateBind(
        _ bind: SocketAddressSpec, in reader: TableReader, firstLine: inout [SocketAddressSpec: Int]
    ) {
        let line = reader.line(of: "bind")
        guard let previous = firstLine[bind] else {
            firstLine[bind] = line
            return
        }
        if bind.port != 0 {
            reader.report("\"\(bind)\" is bound twice: at line \(previous) and line \(line)", key: "bind")
        }
    }

    /// Decodes the rest of one `[[listener]]` around its already-checked `bind`; nil when anything
    /// required is missing or bad.
    private func decodeListener(_ reader: TableReader, bind: SocketAddressSpec?) -> ListenerConfig? {
        reader.rejectUnknownKeys(Self.listenerKeys)
        reader.require("tls", expected: "true or false")
        let tls = reader.bool("tls")
        let defaultCertificate = reader.nonEmptyString("default_certificate", expected: "a certificate name")
        let redirectPort = reader.int("https_redirect_port", in: 1...65535, expected: "a port from 1 to 65535")
        let policy = self.policy("policy", in: reader)
        let onDemand = reader.bool("on_demand") ?? false
        if onDemand, tls == false { reader.report("on_demand needs tls = true", key: "on_demand") }
        let defaultSite = reader.nonEmptyString("default_site", expected: "a host of some [[site]]")?.lowercased()
        let unknownHost = reader.choice("unknown_host", from: UnknownHostAction.allCases.map(\.rawValue))
        guard let bind, let tls else { return nil }
        var listener = ListenerConfig(
            bind: bind, tls: tls, defaultCertificate: defaultCertificate, httpsRedirectPort: redirectPort ?? 443,
            policy: policy, line: reader.line(of: nil))
        listener.onDemand = onDemand
        listener.defaultSite = defaultSite
        listener.unknownHost = unknownHost.flatMap(UnknownHostAction.init(rawValue:)) ?? .defaultSite
        return listener
    }

    /// A `host:port` string value of `key`, parsed for `role`; problems reported on the key's line.
    func address(_ key: String, in reader: TableReader, role: AddressSyntax.Role, expected: String)
        -> SocketAddressSpec?
    {
        guard let text = reader.string(key, expected: expected) else { return nil }
        do {
            return try AddressSyntax.parse(text, role: role)
        } catch {
            reader.report(error.message, key: key)
            return nil
        }
    }

    /// Each listener's `default_certificate` must be the certificate of some site.
    func checkDefaultCertificates(_ listeners: [DecodedListener], sites: [SiteConfig]) {
        let names = sites.map(\.certificateName)
        for listener in listeners {
            guard let name = listener.config.defaultCertificate, !names.contains(name) else { continue }
            var seen = Set<String>()
            let list = names.filter { seen.insert($0).inserted }.map { "\"\($0)\"" }.joined(separator: ", ")
            let reader = TableReader(values: [:], scope: listener.scope, diagnostics: self.diagnostics)
            reader.report(
                "no site uses the certificate \"\(name)\"; expected one of \(list)", key: "default_certificate")
        }
    }
}

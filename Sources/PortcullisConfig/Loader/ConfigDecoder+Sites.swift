/// `[[site]]`.
extension ConfigDecoder {
    /// Every key a `[[site]]` accepts.
    static let siteKeys = [
        "hosts", "certificate", "respond", "upstreams", "hsts", "policy", "key_types", "forwarded", "challenge",
        "health_check",
    ]

    /// Decodes every site and reports any host listed twice, in one site or across sites.
    func decodeSites(_ readers: [TableReader]) -> [SiteConfig] {
        var sites: [SiteConfig] = []
        var firstLine: [String: Int] = [:]
        for reader in readers {
            let (validHosts, allValid) = self.hosts(reader)
            self.checkDuplicates(validHosts, in: reader, firstLine: &firstLine)
            if let site = self.decodeSite(reader, hosts: allValid ? validHosts : nil) { sites.append(site) }
        }
        return sites
    }

    /// Decodes one `[[site]]` around its already-checked hosts; nil when anything required is bad.
    private func decodeSite(_ reader: TableReader, hosts: [String]?) -> SiteConfig? {
        reader.rejectUnknownKeys(Self.siteKeys)
        let (certificate, additionalCertificates) = self.siteCertificates(reader)
        let keyTypes = self.siteKeyTypes(reader)
        let respond = reader.string("respond")
        let upstreams = self.upstreams(reader)
        let hstsExpected = "a Strict-Transport-Security value such as \"max-age=31536000\""
        let hsts = reader.nonEmptyString("hsts", expected: hstsExpected)
        let policy = self.policy("policy", in: reader)
        let hasContent = self.checkContent(reader)
        guard let hosts, hasContent, reader.values["upstreams"] == nil || upstreams != nil else { return nil }
        var site = SiteConfig(
            hosts: hosts, certificate: certificate ?? "self-signed", respond: respond, upstreams: upstreams ?? [],
            hsts: hsts, policy: policy, line: reader.line(of: nil))
        site.additionalCertificates = additionalCertificates
        site.keyTypes = keyTypes
        site.forwarded = reader.bool("forwarded")
        site.challenge = reader.choice("challenge", from: SiteConfig.challengeTypes)
        if site.challenge != nil, site.certificate != "acme" {
            reader.report("challenge needs certificate = \"acme\"", key: "challenge")
        }
        site.healthCheck = self.healthCheck(reader)
        if site.healthCheck != nil, site.upstreams.isEmpty {
            reader.report("a health check needs upstreams to check; this site uses respond", key: "health_check")
        }
        return site
    }

    /// `hosts`: the valid names, lower-cased, and whether the value was a non-empty array of only valid
    /// names. Problems are reported; the valid names still take part in the duplicate check.
    private func hosts(_ reader: TableReader) -> (valid: [String], allValid: Bool) {
        guard reader.require("hosts", expected: "an array of host names"),
            let names = reader.stringArray("hosts", expected: "an array of host names")
        else { return ([], false) }
        guard !names.isEmpty else {
            reader.report("expected at least one host name, found an empty array", key: "hosts")
            return ([], false)
        }
        var valid: [String] = []
        for host in names.map({ $0.lowercased() }) {
            guard let problem = HostNameSyntax.problem(with: host) else {
                valid.append(host)
                continue
            }
            let line = self.diagnostics.line(ofElement: host, scope: reader.scope, key: "hosts")
            reader.report(problem, key: "hosts", line: line)
        }
        return (valid, valid.count == names.count)
    }

    /// Reports hosts seen before (`firstLine` maps each host to where it first appeared), naming both lines.
    private func checkDuplicates(_ hosts: [String], in reader: TableReader, firstLine: inout [String: Int]) {
        var occurrences: [String: Int] = [:]
        for host in hosts {
            let occurrence = occurrences[host, default: 0]
            occurrences[host] = occurrence + 1
            let line = self.diagnostics.line(ofElement: host, scope: reader.scope, key: "hosts", occurrence: occurrence)
            guard let previous = firstLine[host] else {
                firstLine[host] = line
                continue
            }
            let place = previous == line ? "twice on line \(line)" : "twice: at line \(previous) and line \(line)"
            reader.report("host \"\(host)\" is listed \(place); each host may belong to one site only", key: "hosts",
                line: line)
        }
    }

    /// `upstreams`: a non-empty array of `host:port` strings; nil (after reporting) when absent or bad.
    func upstreams(_ reader: TableReader) -> [SocketAddressSpec]? {
        let expected = "an array of upstream addresses such as \(AddressSyntax.Role.upstream.example)"
        guard let texts = reader.stringArray("upstreams", expected: expected) else { return nil }
        guard !texts.isEmpty else {
            return reader.badValue("upstreams", expected: expected, found: .other("an empty array"))
        }
        var addresses: [SocketAddressSpec] = []
        for text in texts {
            do {
                addresses.append(try AddressSyntax.parse(text, role: .upstream))
            } catch {
                let line = self.diagnostics.line(ofElement: text, scope: reader.scope, key: "upstreams")
                reader.report(error.message, key: "upstreams", line: line)
            }
        }
        return addresses.count == texts.count ? addresses : nil
    }

    /// A site serves exactly one of `respond` (built-in text) or `upstreams` (proxying).
    func checkContent(_ reader: TableReader) -> Bool {
        switch (reader.values["respond"] != nil, reader.values["upstreams"] != nil) {
        case (true, true):
            reader.report("a site takes either respond or upstreams, not both", key: "upstreams")
            return false
        case (false, false):
            let expected = "respond (built-in text) or upstreams (servers to proxy to)"
            reader.report("expected \(expected), found neither", key: nil)
            return false
        default:
            return true
        }
    }
}

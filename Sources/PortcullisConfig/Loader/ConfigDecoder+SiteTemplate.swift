/// `[[site_template]]`: what the DNS watch deploys for a domain once its DNS points here.
extension ConfigDecoder {
    /// Every key a `[[site_template]]` accepts (a site's, less `hosts` and `certificate`).
    static let siteTemplateKeys = ["respond", "upstreams", "hsts", "policy", "challenge", "forwarded"]

    /// The one template, as a site with no hosts and `certificate = "acme"`; nil when absent or bad.
    func decodeSiteTemplate(_ root: TableReader, acme: ACMESettings?) -> SiteConfig? {
        guard root.values["site_template"] != nil else { return nil }
        let readers = self.arrayOfTables("site_template", in: root)
        guard let reader = readers.first else { return nil }
        if readers.count > 1 { readers[1].report("only one [[site_template]] is supported", key: nil) }
        reader.rejectUnknownKeys(Self.siteTemplateKeys)
        let upstreams = self.upstreams(reader)
        let hsts = reader.nonEmptyString(
            "hsts", expected: "a Strict-Transport-Security value such as \"max-age=31536000\"")
        var site = SiteConfig(
            hosts: [], certificate: "acme", respond: reader.string("respond"), upstreams: upstreams ?? [], hsts: hsts,
            policy: self.policy("policy", in: reader), line: reader.line(of: nil))
        site.challenge = reader.choice("challenge", from: SiteConfig.challengeTypes)
        site.forwarded = reader.bool("forwarded")
        if site.challenge == "dns-01", (acme?.dnsHook ?? "").isEmpty {
            reader.report("challenge = \"dns-01\" needs [acme] dns_hook", key: "challenge")
        }
        guard self.checkContent(reader), reader.values["upstreams"] == nil || upstreams != nil else { return nil }
        return site
    }
}

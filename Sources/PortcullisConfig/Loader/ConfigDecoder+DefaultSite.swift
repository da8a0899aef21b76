/// `[[listener]] default_site`: which site answers hosts no site names.
extension ConfigDecoder {
    /// Checks each listener's `default_site` against the sites, and makes that site's certificate the
    /// listener's default certificate when none is set, so a client without SNI (or with an unknown
    /// one) gets the certificate of the site that will answer it, as nginx's `default_server` does.
    func resolveDefaultSites(_ listeners: inout [DecodedListener], sites: [SiteConfig]) {
        for index in listeners.indices {
            guard let host = listeners[index].config.defaultSite else { continue }
            let reader = TableReader(values: [:], scope: listeners[index].scope, diagnostics: self.diagnostics)
            guard let site = sites.first(where: { $0.hosts.contains(host) }) else {
                let known = sites.compactMap(\.hosts.first).map { "\"\($0)\"" }.joined(separator: ", ")
                reader.report("no site has the host \"\(host)\"; expected one of \(known)", key: "default_site")
                continue
            }
            let names = [site.certificateName] + site.additionalCertificates
            guard let certificate = listeners[index].config.defaultCertificate else {
                listeners[index].config.defaultCertificate = site.certificateName
                continue
            }
            if !names.contains(certificate) {
                reader.report(
                    "the site \"\(host)\" is served with \(names.map { "\"\($0)\"" }.joined(separator: ", ")), "
                        + "not default_certificate \"\(certificate)\"; clients without SNI would get 421",
                    key: "default_site")
            }
        }
    }
}

/// `[admin]`: the admin API listener.
extension ConfigDecoder {
    /// Every key `[admin]` accepts.
    static let adminKeys = [
        "bind", "token_file", "tls", "certificate", "allow_remote", "metrics_token", "session_lifetime",
    ]

    /// Decodes `[admin]`; nil when the section is absent (no admin listener).
    func decodeAdmin(_ root: TableReader, stateDir: String) -> AdminSettings? {
        guard root.values["admin"] != nil else { return nil }
        let reader = self.table("admin", in: root)
        reader.rejectUnknownKeys(Self.adminKeys)
        let tokenFile = reader.nonEmptyString("token_file", expected: "a file path") ?? "admin.token"
        var settings = AdminSettings(tokenFile: PathResolution.resolve(tokenFile, against: stateDir))
        settings.line = reader.line(of: nil)
        let expected = "an address like 127.0.0.1:9180"
        if let bind = self.address("bind", in: reader, role: .bind, expected: expected) { settings.bind = bind }
        settings.tls = reader.bool("tls") ?? false
        settings.certificate = reader.nonEmptyString("certificate", expected: "the name of a certificate in the store")
        settings.allowRemote = reader.bool("allow_remote") ?? false
        settings.metricsToken = reader.bool("metrics_token") ?? true
        if let seconds = reader.duration("session_lifetime") { settings.sessionLifetime = seconds }
        self.checkAdmin(settings, reader: reader)
        return settings
    }

    /// A remote bind needs `allow_remote` and TLS; TLS needs a certificate.
    private func checkAdmin(_ settings: AdminSettings, reader: TableReader) {
        if !AdminSettings.isLoopback(settings.bind.host) && !settings.allowRemote {
            reader.report(
                "\(settings.bind) is not a loopback address; set allow_remote = true (with tls = true) to serve the "
                    + "admin API beyond this host", key: "bind")
        }
        if settings.allowRemote && !settings.tls {
            reader.report("allow_remote = true requires tls = true (the token must not cross a network in clear)", key: "allow_remote")
        }
        if settings.tls && settings.certificate == nil {
            reader.report("tls = true requires certificate = \"<name of a certificate in the store>\"", key: "tls")
        }
    }
}

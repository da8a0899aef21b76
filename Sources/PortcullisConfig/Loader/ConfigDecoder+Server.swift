/// `[server]` and `[tls]`.
extension ConfigDecoder {
    /// Timeout keys and the `Timeouts` field each sets.
    static var timeoutFields: [(key: String, field: WritableKeyPath<Timeouts, Double>)] {
        [
            ("handshake_timeout", \.handshake), ("request_head_timeout", \.requestHead), ("idle_timeout", \.idle),
            ("upstream_connect_timeout", \.upstreamConnect), ("upstream_response_timeout", \.upstreamResponse),
            ("drain_timeout", \.drain), ("tunnel_idle_timeout", \.tunnelIdle),
            ("min_body_rate_grace", \.minBodyRateGrace),
        ]
    }

    /// Positive integer limit keys and the `Limits` field each sets (`max_body_bytes` is separate: 0 is valid).
    static var limitFields: [(key: String, field: WritableKeyPath<Limits, Int>)] {
        [
            ("max_request_line", \.maxRequestLine), ("max_header_bytes", \.maxHeaderBytes),
            ("max_header_count", \.maxHeaderCount), ("max_connections", \.maxConnections),
        ]
    }

    /// Every key `[server]` accepts.
    static var serverKeys: [String] {
        ["state_dir", "workers", "access_log", "access_log_format", "log_level"]
            + self.timeoutFields.map(\.key) + self.limitFields.map(\.key)
            + ["max_body_bytes", "min_body_rate", "max_upstream_connections", "forwarded"]
    }

    /// Every key `[tls]` accepts.
    static let tlsKeys = ["default_policy", "expiry_warning_days", "expiry_webhook", "expiry_command", "ticket_key_rotation"]

    /// Decodes `[server]`; absent keys take the defaults documented in `proxy.conf`.
    func decodeServer(_ reader: TableReader) -> ServerSettings {
        reader.rejectUnknownKeys(Self.serverKeys)
        let stateDir = reader.nonEmptyString("state_dir", expected: "a directory path") ?? "state"
        var settings = ServerSettings(stateDir: self.resolvePath(stateDir))
        let workersExpected = "a number of workers, 0 or more (0 = one per core)"
        settings.workers = reader.int("workers", in: 0...Int.max, expected: workersExpected) ?? 0
        settings.accessLog = self.accessLog(reader)
        let formats = AccessLogFormat.allCases.map(\.rawValue)
        settings.accessLogFormat =
            reader.choice("access_log_format", from: formats).flatMap(AccessLogFormat.init(rawValue:)) ?? .combined
        settings.logLevel = reader.choice("log_level", from: ServerSettings.logLevels) ?? "info"
        for (key, field) in Self.timeoutFields {
            if let seconds = reader.duration(key) { settings.timeouts[keyPath: field] = seconds }
        }
        for (key, field) in Self.limitFields {
            if let value = reader.int(key, in: 1...Int.max, expected: "a positive integer") {
                settings.limits[keyPath: field] = value
            }
        }
        let bodyExpected = "a number of bytes, 0 or more (0 = unlimited)"
        if let value = reader.int("max_body_bytes", in: 0...Int.max, expected: bodyExpected) {
            settings.limits.maxBodyBytes = Int64(value)
        }
        let upstreamExpected = "a number of connections, 0 or more (0 = no cap of its own)"
        if let value = reader.int("max_upstream_connections", in: 0...Int.max, expected: upstreamExpected) {
            settings.limits.maxUpstreamConnections = value
        }
        settings.forwarded = reader.bool("forwarded") ?? false
        let rateExpected = "bytes per second, 0 or more (0 = no minimum)"
        if let value = reader.int("min_body_rate", in: 0...Int.max, expected: rateExpected) {
            settings.limits.minBodyRate = value
        }
        return settings
    }

    /// `access_log`: "stdout", "off", or a file path made absolute against the config folder.
    private func accessLog(_ reader: TableReader) -> String {
        let expected = "\"stdout\", \"off\" or a file path"
        guard let value = reader.nonEmptyString("access_log", expected: expected) else { return "stdout" }
        return value == "stdout" || value == "off" ? value : self.resolvePath(value)
    }

    /// Decodes `[tls]`.
    func decodeTLS(_ reader: TableReader) -> TLSSettings {
        reader.rejectUnknownKeys(Self.tlsKeys)
        var settings = TLSSettings()
        if let policy = self.policy("default_policy", in: reader) { settings.defaultPolicy = policy }
        if let seconds = reader.duration("ticket_key_rotation") { settings.ticketKeyRotation = seconds }
        let daysExpected = "a number of days, 1 or more"
        if let days = reader.int("expiry_warning_days", in: 1...Int.max, expected: daysExpected) {
            settings.expiryWarningDays = days
        }
        if let url = reader.nonEmptyString("expiry_webhook", expected: "an http:// URL") {
            if url.hasPrefix("http://") && url.count > 7 {
                settings.expiryWebhook = url
            } else {
                reader.report("expected an http:// URL, found \"\(url)\" (https is not supported for the webhook)", key: "expiry_webhook")
            }
        }
        settings.expiryCommand = reader.nonEmptyString("expiry_command", expected: "a shell command")
        return settings
    }
}

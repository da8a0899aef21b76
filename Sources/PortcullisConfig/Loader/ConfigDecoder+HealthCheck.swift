/// `[[site]] health_check = { path = "/healthz", interval = "5s", timeout = "2s", rise = 2, fall = 3, expect = "2xx" }`.
extension ConfigDecoder {
    /// Every key a `health_check` table accepts.
    static let healthCheckKeys = ["path", "interval", "timeout", "rise", "fall", "expect"]

    /// The site's `health_check`, nil when absent or bad (problems reported as `health_check.KEY`).
    func healthCheck(_ site: TableReader) -> HealthCheckConfig? {
        guard let node = site.values["health_check"] else { return nil }
        guard case .table(let table) = node else {
            return site.wrongType("health_check", expected: "a table such as { path = \"/healthz\" }", found: node)
        }
        let values = Dictionary(uniqueKeysWithValues: table.map { ("health_check.\($0.key)", $0.value) })
        let reader = TableReader(values: values, scope: site.scope, diagnostics: self.diagnostics)
        reader.rejectUnknownKeys(Self.healthCheckKeys.map { "health_check.\($0)" })
        var check = HealthCheckConfig()
        let before = self.diagnostics.errors.count
        if let path = reader.string("health_check.path", expected: "a path starting with /") {
            if path.hasPrefix("/"), !path.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) {
                check.path = path
            } else {
                _ = reader.badValue("health_check.path", expected: "a path starting with /", found: .string(path)) as Int?
            }
        }
        check.interval = reader.duration("health_check.interval") ?? check.interval
        check.timeout = reader.duration("health_check.timeout") ?? check.timeout
        check.rise = reader.int("health_check.rise", in: 1...100, expected: "a count from 1 to 100") ?? check.rise
        check.fall = reader.int("health_check.fall", in: 1...100, expected: "a count from 1 to 100") ?? check.fall
        if let text = reader.string("health_check.expect", expected: "status codes such as \"2xx\" or \"200,301\"") {
            if let expect = StatusExpectation(parsing: text) {
                check.expect = expect
            } else {
                _ = reader.badValue(
                    "health_check.expect", expected: "status codes such as \"2xx\" or \"200,301\"", found: .string(text))
                    as Int?
            }
        }
        if check.timeout > check.interval {
            reader.report("timeout (\(check.timeout)s) must not exceed interval (\(check.interval)s)", key: "health_check.timeout")
        }
        return self.diagnostics.errors.count == before ? check : nil
    }
}

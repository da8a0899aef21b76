/// `[[policy]]` (optional) and the site keys that belong to security policies.
extension ConfigDecoder {
    /// Every key a `[[policy]]` accepts.
    static let policyKeys = [
        "name", "base", "min_version", "max_version", "ciphers", "ciphersuites", "groups", "sigalgs",
        "server_preference", "session_tickets", "early_data", "hsts", "client_auth", "client_ca_file",
        "allow_degraded",
    ]
    /// `min_version` / `max_version` values.
    static let policyVersions = ["1.0", "1.1", "1.2", "1.3"]
    /// `key_types` values (self-signed certificates), as the certificate store names them.
    static let keyTypeNames = ["ec256", "ec384", "rsa2048", "rsa3072", "rsa4096"]

    /// The names `[[policy]]` tables define, read before decoding so every `policy` key may use them.
    static func customPolicyNames(_ root: [String: TOMLNode]) -> [String] {
        guard case .array(let elements)? = root["policy"] else { return [] }
        return elements.compactMap { element in
            guard case .table(let table) = element, case .string(let name)? = table["name"] else { return nil }
            return name
        }
    }

    /// Decodes every `[[policy]]`; absent means none. Duplicate names are reported.
    func decodePolicies(in root: TableReader) -> [PolicyConfig] {
        guard let node = root.values["policy"] else { return [] }
        guard case .array(let elements) = node else {
            root.report("expected [[policy]] tables, found \(node.typeDescription)", key: "policy")
            return []
        }
        var policies: [PolicyConfig] = []
        var firstLine: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            guard case .table(let values) = element else {
                root.report(
                    "expected [[policy]] tables, found an array containing \(element.typeDescription)", key: "policy")
                return []
            }
            let reader = TableReader(
                values: values, scope: Scope(table: "policy", index: index), diagnostics: self.diagnostics)
            guard let policy = self.decodePolicy(reader) else { continue }
            if let previous = firstLine[policy.name] {
                reader.report(
                    "policy \"\(policy.name)\" is defined twice: at line \(previous) and line \(policy.line)",
                    key: "name")
            }
            firstLine[policy.name] = policy.line
            policies.append(policy)
        }
        return policies
    }

    /// One `[[policy]]`; nil without a usable name.
    private func decodePolicy(_ reader: TableReader) -> PolicyConfig? {
        reader.rejectUnknownKeys(Self.policyKeys)
        reader.require("name", expected: "a policy name")
        let name = reader.nonEmptyString("name", expected: "a policy name")
        var policy = PolicyConfig(name: name ?? "", line: reader.line(of: nil))
        for key in Self.policyKeys where reader.values[key] != nil { policy.keyLines[key] = reader.line(of: key) }
        if reader.values["base"] != nil { policy.base = self.policy("base", in: reader) }
        policy.minVersion = reader.choice("min_version", from: Self.policyVersions)
        policy.maxVersion = reader.choice("max_version", from: Self.policyVersions)
        policy.ciphers = reader.stringArray("ciphers", expected: "an array of OpenSSL cipher names")
        policy.ciphersuites = reader.stringArray("ciphersuites", expected: "an array of TLS 1.3 ciphersuite names")
        policy.groups = reader.stringArray("groups", expected: "an array of group names such as \"X25519\"")
        policy.sigalgs = reader.stringArray(
            "sigalgs", expected: "an array of signature algorithms such as \"ECDSA+SHA256\"")
        policy.serverPreference = reader.bool("server_preference")
        policy.sessionTickets = reader.bool("session_tickets")
        policy.earlyData = reader.bool("early_data")
        policy.hsts = reader.nonEmptyString("hsts", expected: "a Strict-Transport-Security value or \"off\"")
        policy.clientAuth = reader.choice("client_auth", from: ["none", "optional", "required"])
        policy.clientCAFile = reader.nonEmptyString("client_ca_file", expected: "a PEM file path").map(self.resolvePath)
        policy.allowDegraded = reader.bool("allow_degraded") ?? false
        if policy.clientAuth == "optional" || policy.clientAuth == "required", policy.clientCAFile == nil {
            reader.report("client_auth = \"\(policy.clientAuth!)\" needs client_ca_file", key: "client_auth")
        }
        return name == nil ? nil : policy
    }

    /// `certificate`: one name, or an array of names (one per key type); the first is the primary.
    func siteCertificates(_ reader: TableReader) -> (primary: String?, additional: [String]) {
        let expected = "\"self-signed\", \"acme\", the name of an imported certificate, or an array of imported names"
        guard case .array? = reader.values["certificate"] else {
            return (reader.nonEmptyString("certificate", expected: expected), [])
        }
        guard let names = reader.stringArray("certificate", expected: expected) else { return (nil, []) }
        guard (1...2).contains(names.count), !names.contains(where: \.isEmpty) else {
            reader.report(
                "expected one or two certificate names (one per key type), found \(names.count)", key: "certificate")
            return (nil, [])
        }
        for name in names where name == "self-signed" || name == "acme" {
            reader.report(
                "\"\(name)\" cannot be listed; use certificate = \"\(name)\" with key_types", key: "certificate")
        }
        return (names[0], Array(names.dropFirst()))
    }

    /// `key_types`: key types for generated certificates, e.g. ["ec256", "rsa2048"] (at most one EC and one RSA).
    func siteKeyTypes(_ reader: TableReader) -> [String] {
        let expected = "an array of key types (\(Self.keyTypeNames.joined(separator: ", ")))"
        guard let types = reader.stringArray("key_types", expected: expected) else { return [] }
        if let certificate = reader.values["certificate"], certificate != .string("self-signed"),
            certificate != .string("acme")
        {
            reader.report(
                "key_types applies to generated certificates only; expected certificate = \"self-signed\" or \"acme\"",
                key: "key_types")
            return []
        }
        for type in types where !Self.keyTypeNames.contains(type) {
            reader.report(
                "unknown key type \"\(type)\"; expected one of \(Self.keyTypeNames.joined(separator: ", "))",
                key: "key_types")
            return []
        }
        let ec = types.filter { $0.hasPrefix("ec") }.count
        let rsa = types.count - types.filter { $0.hasPrefix("ec") }.count
        guard !types.isEmpty, ec <= 1, rsa <= 1 else {
            reader.report("expected one or two key types, at most one EC and one RSA, found \(types)", key: "key_types")
            return []
        }
        return types
    }
}

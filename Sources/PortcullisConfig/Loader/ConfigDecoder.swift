/// Turns the parsed TOML tree into a `ProxyConfig`, reporting every problem to `diagnostics`.
///
/// Each section has its own extension (`+Server`, `+Listeners`, `+Sites`). Getters report and return nil
/// on bad values, so decoding always runs to the end and finds every problem in one pass.
struct ConfigDecoder {
    /// Where problems go.
    let diagnostics: Diagnostics
    /// Caller options (policy names).
    let options: ConfigLoader.Options
    /// Absolute folder of the configuration file; relative paths in it are resolved against this.
    let baseDirectory: String

    /// Keys allowed at the top level.
    static let rootKeys = ["server", "tls", "listener", "site", "acme", "policy", "admin", "site_template"]

    /// Decodes the whole document; nil when a required part could not be built (errors were reported).
    func decode(_ root: [String: TOMLNode], sourcePath: String) -> ProxyConfig? {
        let reader = TableReader(values: root, scope: .root, diagnostics: self.diagnostics)
        reader.rejectUnknownKeys(Self.rootKeys)
        let server = self.decodeServer(self.table("server", in: reader))
        let tls = self.decodeTLS(self.table("tls", in: reader))
        let listenerTables = self.arrayOfTables("listener", in: reader)
        let siteTables = self.arrayOfTables("site", in: reader)
        var listeners = self.decodeListeners(listenerTables)
        let sites = self.decodeSites(siteTables)
        let acme = self.decodeACME(reader)
        let policies = self.decodePolicies(in: reader)
        let admin = self.decodeAdmin(reader, stateDir: server.stateDir)
        // Only check certificate names against a complete site list, to avoid follow-on errors.
        if sites.count == siteTables.count {
            self.checkDefaultCertificates(listeners, sites: sites)
            self.resolveDefaultSites(&listeners, sites: sites)
            self.checkACMESites(siteTables, sites: sites, acme: acme)
        }
        let siteTemplate = self.decodeSiteTemplate(reader, acme: acme)
        if listeners.count == listenerTables.count {
            self.checkOnDemand(
                listenerTables, listeners: listeners.map(\.config), acme: acme, hasTemplate: siteTemplate != nil)
        }
        guard listeners.count == listenerTables.count, !listeners.isEmpty, sites.count == siteTables.count,
            !sites.isEmpty
        else { return nil }
        var config = ProxyConfig(
            sourcePath: sourcePath, server: server, tls: tls, listeners: listeners.map(\.config), sites: sites)
        config.acme = acme
        config.policies = policies
        config.admin = admin
        config.siteTemplate = siteTemplate
        return config
    }

    /// The `[name]` table, or an empty one when absent or not a table (the latter is reported).
    func table(_ name: String, in root: TableReader) -> TableReader {
        let scope = Scope(table: name, index: nil)
        var values: [String: TOMLNode] = [:]
        if let node = root.values[name] {
            if case .table(let table) = node {
                values = table
            } else {
                root.report("expected a table ([\(name)]), found \(node.typeDescription)", key: name)
            }
        }
        return TableReader(values: values, scope: scope, diagnostics: self.diagnostics)
    }

    /// The `[[name]]` tables in order; reports when there are none or when `name` is not an array of tables.
    func arrayOfTables(_ name: String, in root: TableReader) -> [TableReader] {
        let expected = "at least one [[\(name)]] table"
        guard let node = root.values[name] else {
            root.report("required section is missing; expected \(expected)", key: "[[\(name)]]", line: 1)
            return []
        }
        guard case .array(let elements) = node, !elements.isEmpty else {
            root.report("expected \(expected), found \(node.typeDescription)", key: name)
            return []
        }
        var readers: [TableReader] = []
        for (index, element) in elements.enumerated() {
            guard case .table(let values) = element else {
                root.report("expected \(expected), found an array containing \(element.typeDescription)", key: name)
                return []
            }
            let scope = Scope(table: name, index: index)
            readers.append(TableReader(values: values, scope: scope, diagnostics: self.diagnostics))
        }
        return readers
    }

    /// A security policy name; checked against `options.knownPolicies` when the caller supplies them.
    func policy(_ key: String, in reader: TableReader) -> String? {
        guard let name = reader.nonEmptyString(key, expected: "a security policy name") else { return nil }
        if let known = self.options.knownPolicies, !known.contains(name) {
            let list = known.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            reader.report("unknown security policy \"\(name)\"; expected one of \(list)", key: key)
        }
        return name
    }

    /// A path from the file, made absolute against the configuration file's folder.
    func resolvePath(_ path: String) -> String {
        PathResolution.resolve(path, against: self.baseDirectory)
    }
}

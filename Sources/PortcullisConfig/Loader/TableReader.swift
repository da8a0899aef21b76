/// Typed, self-reporting access to one TOML table: every getter returns nil after reporting when the
/// value is there but wrong, and nil silently when it is absent (callers apply defaults).
struct TableReader {
    /// The table's entries.
    let values: [String: TOMLNode]
    /// Where the table sits, for messages.
    let scope: Scope
    /// Where problems go.
    let diagnostics: Diagnostics

    /// Reports `message` against `key` (nil: the table itself), optionally on an explicit line.
    func report(_ message: String, key: String?, line: Int? = nil) {
        self.diagnostics.report(message, scope: self.scope, key: key, line: line)
    }

    /// The line `key` was written on (or the table's header line).
    func line(of key: String?) -> Int {
        self.diagnostics.line(scope: self.scope, key: key)
    }

    /// Reports every key not in `known`, suggesting the closest known key for likely typos.
    func rejectUnknownKeys(_ known: [String]) {
        for key in self.values.keys.sorted() where !known.contains(key) {
            var message = "unknown key"
            if let guess = KeySuggestion.closest(to: key, in: known) { message += "; did you mean \"\(guess)\"?" }
            self.report(message + " (known keys: \(known.joined(separator: ", ")))", key: key)
        }
    }

    /// Reports `key` as missing when it is absent; returns whether it is present.
    @discardableResult
    func require(_ key: String, expected: String) -> Bool {
        guard self.values[key] == nil else { return true }
        self.report("required key is missing; expected \(expected)", key: key)
        return false
    }

    /// A string value.
    func string(_ key: String, expected: String = "a string") -> String? {
        guard let node = self.values[key] else { return nil }
        guard case .string(let value) = node else { return self.wrongType(key, expected: expected, found: node) }
        return value
    }

    /// A non-empty string value.
    func nonEmptyString(_ key: String, expected: String = "a non-empty string") -> String? {
        guard let value = self.string(key, expected: expected) else { return nil }
        guard !value.isEmpty else { return self.badValue(key, expected: expected, found: .string(value)) }
        return value
    }

    /// One of a fixed set of strings.
    func choice(_ key: String, from choices: [String]) -> String? {
        let expected = "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
        guard let value = self.string(key, expected: expected) else { return nil }
        guard choices.contains(value) else { return self.badValue(key, expected: expected, found: .string(value)) }
        return value
    }

    /// A boolean value.
    func bool(_ key: String) -> Bool? {
        guard let node = self.values[key] else { return nil }
        guard case .bool(let value) = node else { return self.wrongType(key, expected: "true or false", found: node) }
        return value
    }

    /// An integer within `range`.
    func int(_ key: String, in range: ClosedRange<Int>, expected: String) -> Int? {
        guard let node = self.values[key] else { return nil }
        guard case .int(let value) = node else { return self.wrongType(key, expected: expected, found: node) }
        guard range.contains(value) else { return self.badValue(key, expected: expected, found: node) }
        return value
    }

    /// A duration in seconds: a positive TOML number, or a string such as `"500ms"`.
    func duration(_ key: String) -> Double? {
        guard let node = self.values[key] else { return nil }
        let seconds: Double?
        switch node {
        case .int(let value): seconds = DurationSyntax.seconds(from: Double(value))
        case .double(let value): seconds = DurationSyntax.seconds(from: value)
        case .string(let text): seconds = DurationSyntax.seconds(from: text)
        default: return self.wrongType(key, expected: DurationSyntax.expectation, found: node)
        }
        guard let seconds else { return self.badValue(key, expected: DurationSyntax.expectation, found: node) }
        return seconds
    }

    /// An array whose elements are all strings; `expected` names it ("an array of host names").
    func stringArray(_ key: String, expected: String) -> [String]? {
        guard let node = self.values[key] else { return nil }
        guard case .array(let elements) = node else { return self.wrongType(key, expected: expected, found: node) }
        var strings: [String] = []
        for element in elements {
            guard case .string(let value) = element else {
                let found = TOMLNode.other("an array containing \(element.typeDescription)")
                return self.wrongType(key, expected: expected, found: found)
            }
            strings.append(value)
        }
        return strings
    }

    /// Reports "expected …, found <type>" and returns nil, so getters can `return self.wrongType(…)`.
    func wrongType<T>(_ key: String, expected: String, found: TOMLNode) -> T? {
        self.report("expected \(expected), found \(found.typeDescription)", key: key)
        return nil
    }

    /// Reports "expected …, found <value>" for a value of the right type but outside what is allowed.
    func badValue<T>(_ key: String, expected: String, found: TOMLNode) -> T? {
        self.report("expected \(expected), found \(found.valueDescription)", key: key)
        return nil
    }
}

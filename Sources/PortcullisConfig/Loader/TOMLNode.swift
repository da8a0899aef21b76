import TOMLKit

/// A TOML value copied out of TOMLKit into plain Swift, so validation never touches TOMLKit's C++ nodes.
indirect enum TOMLNode: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([TOMLNode])
    case table([String: TOMLNode])
    /// Dates and times: valid TOML, never valid in `proxy.conf`; carries the type's name for messages.
    case other(String)

    /// Parses a whole document; a syntax error comes back with TOMLKit's line and message.
    static func parse(_ text: String) throws(TOMLSyntaxError) -> [String: TOMLNode] {
        do {
            let table = try TOMLTable(string: text)
            return Self.convert(table)
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(line: error.source.begin.line, message: error.description)
        } catch {
            throw TOMLSyntaxError(line: 0, message: "\(error)")
        }
    }

    /// Copies a TOMLKit table.
    private static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
        var result: [String: TOMLNode] = [:]
        for (key, value) in table {
            result[key] = Self.convert(value)
        }
        return result
    }

    /// Copies any TOMLKit value.
    private static func convert(_ value: any TOMLValueConvertible) -> TOMLNode {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .int(value.int ?? 0)
        case .double: return .double(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .array: return .array((value.array.map { Array($0) } ?? []).map { Self.convert($0) })
        case .table: return .table(value.table.map { Self.convert($0) } ?? [:])
        case .date: return .other("a date")
        case .time: return .other("a time")
        case .dateTime: return .other("a date-time")
        }
    }

    /// The value's type with an article, as it appears after "found" in messages ("found a string").
    var typeDescription: String {
        switch self {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a floating-point number"
        case .bool: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        case .other(let name): return name
        }
    }

    /// The value itself for scalars (`"verbose"`, `-1`, `2.5`), else its type, for "found …" in messages.
    var valueDescription: String {
        switch self {
        case .string(let text): return text.count > 60 ? "\"\(text.prefix(60))…\"" : "\"\(text)\""
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return String(value)
        default: return self.typeDescription
        }
    }
}

/// TOMLKit's report of a document that is not valid TOML.
struct TOMLSyntaxError: Error, Sendable {
    /// 1-based line of the error's start.
    var line: Int
    /// toml++'s description of the problem.
    var message: String
}

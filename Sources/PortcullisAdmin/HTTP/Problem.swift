import Foundation
import PortcullisCore

/// An RFC 9457 problem document (`application/problem+json`) with `type`, `title`, `status`, `detail`.
struct Problem: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    /// Extension member: every problem of a refused configuration, one `FILE:LINE: KEY: message` each.
    var errors: [String]?

    /// A problem for `status` whose `type` names the kind of refusal (`…/problems/not-found`).
    init(status: Int, detail: String) {
        self.status = status
        self.title = HTTPReasonPhrase.phrase(status)
        self.type = "https://portcullis.dev/problems/" + Self.slug(status)
        self.detail = detail
    }

    /// The problem for a backend refusal.
    init(_ error: AdminError) {
        self.init(status: Self.status(error.kind), detail: error.detail)
        self.errors = error.errors
    }

    /// The response carrying this problem.
    var response: HTTPServerResponse {
        var response = AdminJSON.response(status: self.status, self)
        response.headers[0] = ("Content-Type", "application/problem+json")
        return response
    }

    static func status(_ kind: AdminError.Kind) -> Int {
        switch kind {
        case .badRequest: return 400
        case .notFound: return 404
        case .conflict: return 409
        case .unprocessable: return 422
        case .unavailable: return 503
        case .internalError: return 500
        }
    }

    /// The last segment of `type`: the reason phrase in kebab case (`unprocessable-content`).
    private static func slug(_ status: Int) -> String {
        HTTPReasonPhrase.phrase(status).lowercased().replacingOccurrences(of: " ", with: "-")
    }
}

/// JSON bodies: one encoder configuration for every response, one decoder for requests.
enum AdminJSON {
    /// Sorted keys and unescaped slashes, so responses are stable and PEM stays readable.
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return Array("{}".utf8) }
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// A JSON response.
    static func response<T: Encodable>(status: Int, _ value: T) -> HTTPServerResponse {
        HTTPServerResponse(
            status: status, headers: [("Content-Type", "application/json")], body: self.encode(value))
    }

    /// Decodes a request body; a malformed one is a 400 naming the problem.
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        guard !body.isEmpty else { throw AdminError(.badRequest, "the request needs a JSON body") }
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch let error as DecodingError {
            throw AdminError(.badRequest, "the JSON body is not valid: " + Self.describe(error))
        } catch {
            throw AdminError(.badRequest, "the JSON body is not valid")
        }
    }

    /// One sentence for a decoding error, naming the key path.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "" : " at \"\(keys)\""
        }
        switch error {
        case .typeMismatch(_, let context): return "wrong type" + path(context)
        case .valueNotFound(_, let context): return "missing value" + path(context)
        case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\"" + path(context)
        case .dataCorrupted(let context): return "malformed JSON" + path(context)
        @unknown default: return "malformed JSON"
        }
    }
}

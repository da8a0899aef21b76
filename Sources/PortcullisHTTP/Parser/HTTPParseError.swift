/// Why a message head or a chunked body was rejected; `status` is the response code to send.
public enum HTTPParseError: Error, Equatable, Sendable {
    /// 400: the message is malformed or its framing is ambiguous.
    case badRequest(BadRequestReason)
    /// 414: the request line is longer than `HTTPLimits.maxRequestLine`.
    case uriTooLong
    /// 431: the field section has too many bytes or too many fields.
    case headerFieldsTooLarge
    /// 501: a transfer coding other than a single final `chunked`, or the CONNECT method.
    case notImplemented
    /// 502: the upstream sent a response head we cannot parse (only from `ResponseHead`).
    case badGateway
    /// 413: a chunked request body decoded to more than `max_body_bytes` (only from `Transfer`).
    case contentTooLarge

    /// The HTTP status code that answers this error.
    public var status: Int {
        switch self {
        case .badRequest: return 400
        case .uriTooLong: return 414
        case .headerFieldsTooLarge: return 431
        case .notImplemented: return 501
        case .badGateway: return 502
        case .contentTooLarge: return 413
        }
    }
}

/// The specific rule a 400 Bad Request broke; `message` is a short body for the error response.
public enum BadRequestReason: Sendable, Equatable {
    case malformedRequestLine
    case invalidMethod
    case invalidTarget
    case unsupportedVersion
    case bareCRorLF
    case obsFold
    case whitespaceBeforeColon
    case invalidFieldName
    case invalidFieldValue
    case missingHost
    case duplicateHost
    case invalidHost
    case invalidContentLength
    case duplicateContentLength
    case contentLengthWithTransferEncoding
    case invalidTransferEncoding
    case transferEncodingInHTTP10
    case invalidConnectionOption
    case incompleteHead
    case invalidChunkSize
    case invalidChunkFraming

    /// A one-line, lowercase description suitable as an error response body.
    public var message: StaticString {
        switch self {
        case .malformedRequestLine: return "malformed request line"
        case .invalidMethod: return "invalid method"
        case .invalidTarget: return "invalid request target"
        case .unsupportedVersion: return "unsupported HTTP version"
        case .bareCRorLF: return "bare CR or LF"
        case .obsFold: return "obsolete line folding"
        case .whitespaceBeforeColon: return "whitespace before colon in header field"
        case .invalidFieldName: return "invalid header field name"
        case .invalidFieldValue: return "invalid header field value"
        case .missingHost: return "missing Host header"
        case .duplicateHost: return "duplicate Host header"
        case .invalidHost: return "invalid Host header"
        case .invalidContentLength: return "invalid Content-Length"
        case .duplicateContentLength: return "duplicate Content-Length"
        case .contentLengthWithTransferEncoding: return "Content-Length with Transfer-Encoding"
        case .invalidTransferEncoding: return "invalid Transfer-Encoding"
        case .transferEncodingInHTTP10: return "Transfer-Encoding in an HTTP/1.0 message"
        case .invalidConnectionOption: return "invalid Connection option"
        case .incompleteHead: return "incomplete message head"
        case .invalidChunkSize: return "invalid chunk size"
        case .invalidChunkFraming: return "invalid chunk framing"
        }
    }
}

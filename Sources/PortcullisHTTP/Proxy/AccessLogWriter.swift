import Glibc
import PortcullisCore
import PortcullisTLS

/// Formats and writes one access log line per exchange (see the README for the formats).
enum AccessLogWriter {
    /// Writes the line for `record` if logging is on.
    static func write(_ record: inout AccessLogRecord, connection: ClientConnection) {
        let sink = connection.routes.settings.accessLog
        guard sink.isEnabled, record.started > 0 else { return }
        // The worker's line buffer is reused; swap it out so appends below never copy it.
        var line: [UInt8] = []
        swap(&line, &connection.worker.logLine)
        line.removeAll(keepingCapacity: true)
        switch sink.format {
        case .json: self.json(record, connection: connection, into: &line)
        case .common, .combined: self.text(record, connection: connection, combined: sink.format == .combined, into: &line)
        }
        line.withUnsafeBytes { AccessLogOutput.emit($0, to: sink, worker: connection.worker) }
        swap(&line, &connection.worker.logLine)
    }

    private static func text(_ record: AccessLogRecord, connection: ClientConnection, combined: Bool, into line: inout [UInt8]) {
        self.appendIP(connection, to: &line)
        line.append(" - - [")
        self.appendTime(format: "%d/%b/%Y:%H:%M:%S +0000", to: &line)
        line.append("] \"")
        self.appendField(record, record.method, to: &line, json: false)
        line.append(" ")
        self.appendField(record, record.target, to: &line, json: false)
        line.append(record.versionMinor == 0 ? " HTTP/1.0\" " : " HTTP/1.1\" ")
        line.appendDecimal(record.status)
        line.append(" ")
        line.appendDecimal(record.bytesSent)
        if combined {
            line.append(" \"")
            self.appendField(record, record.referer, to: &line, json: false)
            line.append("\" \"")
            self.appendField(record, record.userAgent, to: &line, json: false)
            line.append("\"")
        }
        line.append("\n")
    }

    private static func json(_ record: AccessLogRecord, connection: ClientConnection, into line: inout [UInt8]) {
        line.append("{\"time\":\"")
        self.appendTime(format: "%Y-%m-%dT%H:%M:%SZ", to: &line)
        line.append("\",\"remote\":\"")
        self.appendIP(connection, to: &line)
        line.append("\",\"host\":\"")
        self.appendField(record, record.host, to: &line, json: true)
        line.append("\",\"method\":\"")
        self.appendField(record, record.method, to: &line, json: true)
        line.append("\",\"target\":\"")
        self.appendField(record, record.target, to: &line, json: true)
        line.append(record.versionMinor == 0 ? "\",\"protocol\":\"HTTP/1.0\",\"status\":" : "\",\"protocol\":\"HTTP/1.1\",\"status\":")
        line.appendDecimal(record.status)
        line.append(",\"bytes_sent\":")
        line.appendDecimal(record.bytesSent)
        line.append(",\"duration_ms\":")
        line.appendDecimal(Int((Clock.monotonic() - record.started) * 1000))
        line.append(",\"upstream\":\"")
        if let address = connection.upstream?.address {
            withUnsafeTemporaryAllocation(byteCount: 64, alignment: 1) { buffer in
                line.append(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<address.writeIP(into: buffer)]))
            }
        }
        line.append("\",\"sni\":\"")
        if let ssl = connection.ssl {
            withUnsafeTemporaryAllocation(byteCount: 256, alignment: 1) { buffer in
                let count = TLSSessionInfo.serverName(ssl, into: buffer)
                // The handshake refuses names outside host-name syntax; escape anyway, as every field.
                self.appendEscaped(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), to: &line, json: true)
            }
        }
        line.append("\",\"user_agent\":\"")
        self.appendField(record, record.userAgent, to: &line, json: true)
        line.append("\"}\n")
    }

    private static func appendIP(_ connection: ClientConnection, to line: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 1) { buffer in
            line.append(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<connection.peer.writeIP(into: buffer)]))
        }
    }

    private static func appendTime(format: StaticString, to line: inout [UInt8]) {
        var seconds = time_t(Clock.wallSeconds())
        var parts = tm()
        gmtime_r(&seconds, &parts)
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 1) { buffer in
            let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            let count = format.withUTF8Buffer { fmt in
                fmt.withMemoryRebound(to: CChar.self) { strftime(base, 64, $0.baseAddress!, &parts) }
            }
            line.append(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Longest escaped field in a line; longer ones are cut and end in `...`. With at most six such
    /// fields a line stays under `maxLineBytes`.
    static let maxFieldBytes = 1024
    /// Upper bound of one access log line (fields are capped, the rest is fixed-size).
    static let maxLineBytes = 8 * 1024

    /// Appends a recorded field, escaped; `-` when empty (text formats).
    private static func appendField(_ record: AccessLogRecord, _ range: Range<Int>, to line: inout [UInt8], json: Bool) {
        if range.isEmpty, !json {
            line.append("-")
            return
        }
        record.storage[range].withUnsafeBytes { self.appendEscaped($0, to: &line, json: json) }
    }

    /// Escapes quotes and backslashes with a backslash, control bytes and DEL as `\u00XX` (JSON) or
    /// `\xXX` (text); in JSON, bytes from 0x80 up are `\u00XX` too, so a line is always valid UTF-8.
    /// Output past `maxFieldBytes` is cut (never inside an escape) and marked with `...`.
    private static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to line: inout [UInt8], json: Bool) {
        let limit = line.count + Self.maxFieldBytes
        for byte in bytes {
            guard line.count + 6 <= limit else {
                line.append("...")
                return
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                line.append(UInt8(ascii: "\\"))
                line.append(byte)
            } else if byte < 0x20 || byte == 0x7F || (json && byte >= 0x80) {
                line.append(json ? "\\u00" : "\\x")
                line.append(Self.hex[Int(byte >> 4)])
                line.append(Self.hex[Int(byte & 0xF)])
            } else {
                line.append(byte)
            }
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}

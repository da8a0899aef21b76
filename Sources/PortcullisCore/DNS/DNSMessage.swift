/// The DNS wire format (RFC 1035 §4) for the record types evdns cannot ask for (TXT, CNAME): one
/// question out, the answer section back. Pure logic, so it is unit tested without a network.
enum DNSMessage {
    /// Record types we ask for.
    enum RecordType: UInt16, Sendable {
        case a = 1, cname = 5, txt = 16, aaaa = 28
    }

    /// One answer record of a type we understand.
    enum Record: Equatable, Sendable {
        case cname(owner: String, target: String)
        case txt(owner: String, value: String)
        case other(owner: String, type: UInt16)
    }

    /// A decoded reply.
    struct Reply: Equatable, Sendable {
        var id: UInt16
        var rcode: UInt8
        var truncated: Bool
        var answers: [Record]
    }

    /// A recursive query for `name` (already validated by `DNSName.normalize`).
    static func query(id: UInt16, name: String, type: RecordType) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            bytes.append(UInt8(label.utf8.count))
            bytes.append(contentsOf: label.utf8)
        }
        bytes.append(0)
        bytes += [UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xff), 0, 1]
        return bytes
    }

    /// Decodes a reply; nil when it is malformed.
    static func decode(_ bytes: [UInt8]) -> Reply? {
        var reader = Reader(bytes: bytes)
        guard bytes.count >= 12, bytes[2] & 0x80 != 0 else { return nil }
        let id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let questions = Int(bytes[4]) << 8 | Int(bytes[5])
        let answerCount = Int(bytes[6]) << 8 | Int(bytes[7])
        reader.offset = 12
        for _ in 0..<questions {
            guard reader.name() != nil, reader.skip(4) else { return nil }
        }
        var answers: [Record] = []
        for _ in 0..<answerCount {
            guard let record = reader.record() else { return nil }
            answers.append(record)
        }
        return Reply(id: id, rcode: bytes[3] & 0x0f, truncated: bytes[2] & 0x02 != 0, answers: answers)
    }
}

/// A bounds-checked cursor over a reply.
private struct Reader {
    let bytes: [UInt8]
    var offset = 0

    mutating func skip(_ count: Int) -> Bool {
        guard self.offset + count <= self.bytes.count else { return false }
        self.offset += count
        return true
    }

    mutating func u16() -> Int? {
        guard self.offset + 2 <= self.bytes.count else { return nil }
        defer { self.offset += 2 }
        return Int(self.bytes[self.offset]) << 8 | Int(self.bytes[self.offset + 1])
    }

    /// A possibly compressed name at the cursor; pointers are followed a bounded number of times.
    mutating func name() -> String? {
        var labels: [String] = []
        var position = self.offset
        var jumped = false
        for _ in 0..<128 {
            guard position < self.bytes.count else { return nil }
            let length = Int(self.bytes[position])
            if length == 0 {
                if !jumped { self.offset = position + 1 }
                return labels.joined(separator: ".").lowercased()
            }
            if length & 0xc0 == 0xc0 {
                guard position + 1 < self.bytes.count else { return nil }
                if !jumped { self.offset = position + 2 }
                position = (length & 0x3f) << 8 | Int(self.bytes[position + 1])
                jumped = true
                continue
            }
            guard length < 64, position + 1 + length <= self.bytes.count else { return nil }
            labels.append(String(decoding: self.bytes[(position + 1)..<(position + 1 + length)], as: UTF8.self))
            position += 1 + length
        }
        return nil
    }

    /// One resource record.
    mutating func record() -> DNSMessage.Record? {
        guard let owner = self.name(), let type = self.u16(), self.skip(6), let length = self.u16(),
            self.offset + length <= self.bytes.count
        else { return nil }
        let end = self.offset + length
        defer { self.offset = end }
        switch UInt16(type) {
        case DNSMessage.RecordType.cname.rawValue:
            guard let target = self.name() else { return nil }
            return .cname(owner: owner, target: target)
        case DNSMessage.RecordType.txt.rawValue:
            return .txt(owner: owner, value: self.characterStrings(until: end))
        default:
            return .other(owner: owner, type: UInt16(type))
        }
    }

    /// TXT data: character-strings, concatenated (RFC 8555 §8.4 values fit one, long ones are split).
    private func characterStrings(until end: Int) -> String {
        var value: [UInt8] = []
        var position = self.offset
        while position < end {
            let length = Int(self.bytes[position])
            let stop = min(end, position + 1 + length)
            value += self.bytes[(position + 1)..<stop]
            position = stop
        }
        return String(decoding: value, as: UTF8.self)
    }
}

/// Query names: lower case, no trailing dot, RFC 1035 label and length limits.
public enum DNSName {
    /// The normalized name, or nil when it cannot be asked for.
    public static func normalize(_ name: String) -> String? {
        var text = name.lowercased()
        if text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty, text.utf8.count <= 253 else { return nil }
        for label in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63 else { return nil }
            guard label.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { return nil }
        }
        return text
    }
}

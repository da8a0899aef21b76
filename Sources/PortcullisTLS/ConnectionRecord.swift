internal import COpenSSL

/// What the ClientHello callback records on each server `SSL` (one ex_data slot): the selected
/// certificate ID, the identity of the policy enforced, and the normalised SNI. One fixed block per connection, reused if a HelloRetryRequest
/// runs the callback again, and freed by OpenSSL's ex_data free hook when the `SSL` is freed.
enum ConnectionRecord {
    /// Block layout: certificate ID (8 bytes), policy identity (8 bytes), SNI length (1 byte), SNI bytes
    /// (up to 255).
    private static let idOffset = 0
    private static let policyOffset = 8
    private static let lengthOffset = 16
    private static let nameOffset = 17
    private static let byteCount = nameOffset + SNIParser.maxHostNameLength

    /// The ex_data slot on `SSL`; its free hook releases the block.
    static let exDataIndex: Int32 = CRYPTO_get_ex_new_index(
        CRYPTO_EX_INDEX_SSL, 0, nil, nil, nil,
        { _, block, _, _, _, _ in block?.deallocate() })

    /// Stores the selection on `ssl`; returns false only if OpenSSL could not grow its ex_data table.
    static func record(_ ssl: OpaquePointer, certificateID: Int, policy: Int, serverName: UnsafeRawBufferPointer) -> Bool {
        let block: UnsafeMutableRawPointer
        if let existing = SSL_get_ex_data(ssl, self.exDataIndex) {
            block = existing
        } else {
            block = UnsafeMutableRawPointer.allocate(byteCount: self.byteCount, alignment: 8)
            guard SSL_set_ex_data(ssl, self.exDataIndex, block) == 1 else {
                block.deallocate()
                return false
            }
        }
        let length = min(serverName.count, SNIParser.maxHostNameLength)
        block.storeBytes(of: Int64(certificateID), toByteOffset: self.idOffset, as: Int64.self)
        block.storeBytes(of: Int64(policy), toByteOffset: self.policyOffset, as: Int64.self)
        block.storeBytes(of: UInt8(length), toByteOffset: self.lengthOffset, as: UInt8.self)
        if length > 0, let source = serverName.baseAddress {
            (block + self.nameOffset).copyMemory(from: source, byteCount: length)
        }
        return true
    }

    /// The certificate ID recorded on `ssl`, or nil if the callback has not selected one.
    static func certificateID(_ ssl: OpaquePointer) -> Int? {
        guard let block = SSL_get_ex_data(ssl, self.exDataIndex) else { return nil }
        return Int(block.load(fromByteOffset: self.idOffset, as: Int64.self))
    }

    /// The identity of the policy the handshake enforced (`PreparedPolicy.identity`), or nil.
    static func policyIdentity(_ ssl: OpaquePointer) -> Int? {
        guard let block = SSL_get_ex_data(ssl, self.exDataIndex) else { return nil }
        return Int(block.load(fromByteOffset: self.policyOffset, as: Int64.self))
    }

    /// Copies the recorded SNI into `buffer` (truncated to its size); returns the bytes copied.
    static func copyServerName(_ ssl: OpaquePointer, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let block = SSL_get_ex_data(ssl, self.exDataIndex), let target = buffer.baseAddress else { return 0 }
        let length = min(Int(block.load(fromByteOffset: self.lengthOffset, as: UInt8.self)), buffer.count)
        target.copyMemory(from: block + self.nameOffset, byteCount: length)
        return length
    }
}

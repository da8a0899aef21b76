internal import CLibevent
import Glibc

/// inotify on an event base: watches directories and reports, on the base's thread, the names that
/// were created, written (closed after writing), renamed or deleted in them. The owner re-adds
/// watches after a watched directory is replaced (a rename moves the watch with the old inode).
public final class FileWatcher {
    /// One change: the watched directory and the entry's name in it (empty for the directory itself).
    public struct Change: Sendable, Equatable {
        public var directory: String
        public var name: String
    }

    /// Creations, completed writes, renames, deletions, and the directory itself going away.
    public static let defaultMask = UInt32(
        IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB)

    private let fd: Int32
    private var event: OpaquePointer?
    private var directories: [Int32: String] = [:]
    private var watchIDs: [String: Int32] = [:]
    private let handler: ([Change]) -> Void

    /// Starts an inotify instance read on `base`; nil if the kernel refuses one (limit reached).
    public init?(base: EventBase, handler: @escaping ([Change]) -> Void) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.handler = handler
        let flags = Int16(EV_READ | EV_PERSIST)
        guard let event = event_new(base.raw, fd, flags, onInotifyReadable, nil) else {
            Glibc.close(fd)
            return nil
        }
        event_assign(event, base.raw, fd, flags, onInotifyReadable, Unmanaged.passUnretained(self).toOpaque())
        event_add(event, nil)
        self.event = event
    }

    deinit { self.close() }

    /// Watches `directory` (again: a replaced directory gets a new watch). Returns false with errno set
    /// when inotify refuses (missing path, or `max_user_watches` reached).
    @discardableResult
    public func watch(_ directory: String, mask: UInt32 = FileWatcher.defaultMask) -> Bool {
        let id = inotify_add_watch(self.fd, directory, mask)
        guard id >= 0 else { return false }
        if let old = self.watchIDs[directory], old != id, self.directories[old] == directory {
            // The old inode keeps its watch until it is deleted; it no longer answers to this path.
            self.directories[old] = nil
        }
        self.directories[id] = directory
        self.watchIDs[directory] = id
        return true
    }

    /// Number of directories currently watched.
    public var watchCount: Int { self.directories.count }

    /// Stops watching and closes the inotify descriptor.
    public func close() {
        if let event = self.event {
            event_free(event)
            Glibc.close(self.fd)
        }
        self.event = nil
    }

    /// Drains every queued event and reports them in one batch.
    fileprivate func onReadable() {
        var changes: [Change] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(self.fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            buffer.withUnsafeBytes { raw in self.parse(raw.prefix(count), into: &changes) }
        }
        if !changes.isEmpty { self.handler(changes) }
    }

    /// `struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }`, back to back.
    private func parse(_ bytes: UnsafeRawBufferPointer.SubSequence, into changes: inout [Change]) {
        let header = MemoryLayout<inotify_event>.size
        var offset = bytes.startIndex
        while offset + header <= bytes.endIndex {
            let id = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameBytes = bytes[(offset + header)..<min(offset + header + length, bytes.endIndex)]
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            if let directory = self.directories[id] {
                changes.append(Change(directory: directory, name: name))
                if mask & UInt32(IN_IGNORED) != 0 {
                    self.directories[id] = nil
                    if self.watchIDs[directory] == id { self.watchIDs[directory] = nil }
                }
            }
            offset += header + length
        }
    }
}

private let onInotifyReadable: event_callback_fn = { _, _, arg in
    Unmanaged<FileWatcher>.fromOpaque(arg!).takeUnretainedValue().onReadable()
}

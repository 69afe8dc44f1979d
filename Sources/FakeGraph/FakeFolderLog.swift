/// One mailbox folder of the fake: its items in arrival order, with the sequence of their changes.
struct FakeFolderLog: Sendable {
    var order: [String] = []
    var items: [String: FakeItem] = [:]

    /// Adds or replaces an item at `sequence` (a replaced one keeps its creation).
    mutating func put(_ id: String, _ item: FakeItem, sequence: Int) {
        var new = item
        if let existing = items[id], existing.removedSeq == nil {
            new.createdSeq = existing.createdSeq
            new.changedSeq = sequence
        } else {
            if items[id] == nil { order.append(id) }
            new.createdSeq = sequence
            new.changedSeq = sequence
        }
        new.removedSeq = nil
        items[id] = new
    }

    mutating func remove(_ id: String, sequence: Int) {
        if items[id]?.removedSeq == nil { items[id]?.removedSeq = sequence }
    }

    /// Whether an item falls in a round's range: messages received since its start, events overlapping it.
    static func contains(_ item: FakeItem, rangeStart: Int, rangeEnd: Int?) -> Bool {
        guard let rangeEnd else { return item.start >= rangeStart }
        if item.end <= item.start { return item.start >= rangeStart && item.start < rangeEnd }
        return item.start < rangeEnd && item.end > rangeStart
    }

    /// The items of a full sync at snapshot `sequence`.
    func snapshot(_ sequence: Int, rangeStart: Int, rangeEnd: Int?) -> [String] {
        order.filter { id in
            guard let item = items[id] else { return false }
            return item.createdSeq <= sequence && (item.removedSeq.map { $0 > sequence } ?? true)
                && Self.contains(item, rangeStart: rangeStart, rangeEnd: rangeEnd)
        }
    }

    /// The changes in `(from, to]`: ids with whether each is a removal.
    func changes(after from: Int, upTo to: Int, rangeStart: Int, rangeEnd: Int?) -> [(id: String, removed: Bool)] {
        order.compactMap { id in
            guard let item = items[id], item.lastChange > from, item.lastChange <= to else { return nil }
            if let removed = item.removedSeq, removed <= to {
                return item.createdSeq <= from ? (id, true) : nil
            }
            if Self.contains(item, rangeStart: rangeStart, rangeEnd: rangeEnd) { return (id, false) }
            // calendarView delta names under @removed events outside the range "that have been added, deleted, or
            // updated since the previous delta call" (learn.microsoft.com/graph/api/event-delta): new ones too.
            return item.createdSeq <= from || rangeEnd != nil ? (id, true) : nil
        }
    }
}

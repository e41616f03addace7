#pragma once

#include <QString>

#include <type_traits>
#include <utility>

namespace dbdeck {

class Database;

// A transaction scope on this thread's connection: begins on construction, commits on commit(),
// rolls back when destroyed uncommitted (an exception unwinding through it). A scope opened
// inside another becomes a SAVEPOINT, so an inner failure undoes only the inner work.
class Transaction
{
public:
    enum class Mode {
        Read,  // one consistent snapshot: BEGIN (deferred) on SQLite, REPEATABLE READ on PostgreSQL
        Write, // BEGIN IMMEDIATE on SQLite (see transaction.cpp for why), BEGIN on PostgreSQL
    };

    Transaction(Database &db, Mode mode);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    void commit();
    void rollback();
    bool isNested() const { return !m_savepoint.isEmpty(); }

private:
    void finish(bool commit);

    Database &m_db;
    QString m_savepoint; // empty for the outermost scope
    int m_depth = 0;
    bool m_done = false;
};

// Runs fn inside a transaction: commits if it returns, rolls back and rethrows if it throws.
template<typename Fn>
auto withTransaction(Database &db, Transaction::Mode mode, Fn &&fn) -> std::invoke_result_t<Fn>
{
    Transaction scope(db, mode);
    if constexpr (std::is_void_v<std::invoke_result_t<Fn>>) {
        std::forward<Fn>(fn)();
        scope.commit();
    } else {
        auto result = std::forward<Fn>(fn)();
        scope.commit();
        return result;
    }
}

} // namespace dbdeck

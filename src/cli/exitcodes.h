#pragma once

namespace dbdeck::cli {

// dbdeck-cli's exit codes; documented in the README. Scripts and CI may rely on them.
enum ExitCode : int {
    ExitOk = 0,
    ExitDbError = 1,      // any other database error
    ExitUsage = 2,        // bad command line
    ExitConfig = 3,       // a setting has a bad value (ConfigError); nothing was opened
    ExitNotFound = 4,     // NotFoundError
    ExitConflict = 5,     // ConflictError or ConstraintError
    ExitBusy = 6,         // BusyError: locked past the busy timeout, or a lock wait timed out
    ExitCheckFailed = 7,  // a check found problems (e.g. `check` on migrations)
};

} // namespace dbdeck::cli

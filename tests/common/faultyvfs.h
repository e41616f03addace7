#pragma once

#include <QByteArray>

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace dbdeck::test {

// A SQLite VFS that passes everything to the default one, except that writes to files whose
// name contains FaultyVfs::failWritesTo fail with SQLITE_IOERR_WRITE while it is set: an I/O
// error (a full or failing disk) on demand, in this process. install() makes it the default,
// so that Qt's QSQLITE connections opened afterwards use it too (they share libsqlite3).
class FaultyVfs
{
public:
    static inline QByteArray failWritesTo;           // e.g. "-journal"; empty: no failures
    static inline std::atomic<int> failedWrites{0};  // how many writes were failed

    static void install()
    {
        static bool installed = false;
        if (installed)
            return;
        installed = true;
        real() = sqlite3_vfs_find(nullptr);
        vfs() = *real();
        vfs().zName = "dbdeck-faulty";
        vfs().szOsFile = int(sizeof(File)) + real()->szOsFile;
        vfs().xOpen = &open;
        sqlite3_vfs_register(&vfs(), 1);
    }

private:
    struct File
    {
        sqlite3_file base;
        sqlite3_file *real; // right behind this struct, sized by the real VFS
        const char *name;   // SQLite keeps it valid until xClose
    };

    static sqlite3_vfs *&real()
    {
        static sqlite3_vfs *v = nullptr;
        return v;
    }
    static sqlite3_vfs &vfs()
    {
        static sqlite3_vfs v;
        return v;
    }
    static sqlite3_io_methods &methods()
    {
        static sqlite3_io_methods m;
        return m;
    }
    static sqlite3_file *inner(sqlite3_file *f) { return reinterpret_cast<File *>(f)->real; }

    static int open(sqlite3_vfs *, const char *name, sqlite3_file *file, int flags, int *outFlags)
    {
        File *f = reinterpret_cast<File *>(file);
        f->real = reinterpret_cast<sqlite3_file *>(f + 1);
        f->name = name;
        const int rc = real()->xOpen(real(), name, f->real, flags, outFlags);
        if (rc != SQLITE_OK || !f->real->pMethods) {
            f->base.pMethods = nullptr;
            return rc;
        }
        sqlite3_io_methods &m = methods();
        const sqlite3_io_methods *r = f->real->pMethods;
        m.iVersion = r->iVersion;
        m.xClose = [](sqlite3_file *x) {
            const int rc = inner(x)->pMethods->xClose(inner(x));
            x->pMethods = nullptr;
            return rc;
        };
        m.xRead = [](sqlite3_file *x, void *b, int n, sqlite3_int64 o) { return inner(x)->pMethods->xRead(inner(x), b, n, o); };
        m.xWrite = [](sqlite3_file *x, const void *b, int n, sqlite3_int64 o) {
            if (matches(x)) {
                ++failedWrites;
                return SQLITE_IOERR_WRITE;
            }
            return inner(x)->pMethods->xWrite(inner(x), b, n, o);
        };
        m.xTruncate = [](sqlite3_file *x, sqlite3_int64 s) { return inner(x)->pMethods->xTruncate(inner(x), s); };
        m.xSync = [](sqlite3_file *x, int fl) { return inner(x)->pMethods->xSync(inner(x), fl); };
        m.xFileSize = [](sqlite3_file *x, sqlite3_int64 *s) { return inner(x)->pMethods->xFileSize(inner(x), s); };
        m.xLock = [](sqlite3_file *x, int l) { return inner(x)->pMethods->xLock(inner(x), l); };
        m.xUnlock = [](sqlite3_file *x, int l) { return inner(x)->pMethods->xUnlock(inner(x), l); };
        m.xCheckReservedLock = [](sqlite3_file *x, int *r) { return inner(x)->pMethods->xCheckReservedLock(inner(x), r); };
        m.xFileControl = [](sqlite3_file *x, int op, void *a) { return inner(x)->pMethods->xFileControl(inner(x), op, a); };
        m.xSectorSize = [](sqlite3_file *x) { return inner(x)->pMethods->xSectorSize(inner(x)); };
        m.xDeviceCharacteristics = [](sqlite3_file *x) { return inner(x)->pMethods->xDeviceCharacteristics(inner(x)); };
        m.xShmMap = [](sqlite3_file *x, int p, int s, int e, void volatile **o) { return inner(x)->pMethods->xShmMap(inner(x), p, s, e, o); };
        m.xShmLock = [](sqlite3_file *x, int o, int n, int fl) { return inner(x)->pMethods->xShmLock(inner(x), o, n, fl); };
        m.xShmBarrier = [](sqlite3_file *x) { inner(x)->pMethods->xShmBarrier(inner(x)); };
        m.xShmUnmap = [](sqlite3_file *x, int d) { return inner(x)->pMethods->xShmUnmap(inner(x), d); };
        m.xFetch = [](sqlite3_file *x, sqlite3_int64 o, int n, void **p) { return inner(x)->pMethods->xFetch(inner(x), o, n, p); };
        m.xUnfetch = [](sqlite3_file *x, sqlite3_int64 o, void *p) { return inner(x)->pMethods->xUnfetch(inner(x), o, p); };
        f->base.pMethods = &m;
        return SQLITE_OK;
    }

    static bool matches(sqlite3_file *x)
    {
        const char *name = reinterpret_cast<File *>(x)->name;
        return !failWritesTo.isEmpty() && name && std::strstr(name, failWritesTo.constData());
    }
};

} // namespace dbdeck::test

#include "migrate/lockfile.h"

#include "db/errors.h"

#include <QFileInfo>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dbdeck {

namespace {

QByteArray encoded(const QString &path)
{
    return QFile::encodeName(path);
}

// Where flock cannot tell, the caller must not trust it: NFS without lock support, some FUSE.
bool unsupported(int error)
{
    return error == ENOLCK || error == EOPNOTSUPP || error == ENOSYS || error == EINVAL;
}

} // namespace

QString LockFile::pathFor(const QString &databasePath)
{
    const QFileInfo file(databasePath);
    QString real = file.exists() ? file.canonicalFilePath() : QString();
    if (real.isEmpty()) {
        const QString folder = QFileInfo(file.absolutePath()).canonicalFilePath();
        real = (folder.isEmpty() ? file.absolutePath() : folder) + QLatin1Char('/') + file.fileName();
    }
    return real + QStringLiteral("-dbdeck-lock");
}

LockFile::Probe LockFile::probe(const QString &databasePath)
{
    const QString path = pathFor(databasePath);
    const int fd = ::open(encoded(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? Probe::NoFile : Probe::Unknown;
    Probe result = Probe::Free;
    // A shared lock succeeds unless somebody holds the exclusive one; released at once.
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0)
        ::flock(fd, LOCK_UN);
    else
        result = errno == EWOULDBLOCK ? Probe::Held : Probe::Unknown;
    ::close(fd);
    return result;
}

std::optional<qint64> LockFile::heartbeatMsecsSinceEpoch(const QString &databasePath)
{
    struct stat st;
    if (::stat(encoded(pathFor(databasePath)).constData(), &st) != 0)
        return std::nullopt;
    return qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
}

LockFile::LockFile(QString databasePath) : m_path(pathFor(databasePath)) {}

LockFile::~LockFile()
{
    unlock();
    if (m_fd >= 0)
        ::close(m_fd);
}

LockFile::Attempt LockFile::tryLock()
{
    if (m_locked)
        return Attempt::Locked;
    if (m_fd < 0) {
        m_fd = ::open(encoded(m_path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0)
            throw DbError(QStringLiteral("cannot create the migration lock file %1: %2").arg(m_path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0) {
        m_locked = true;
        return Attempt::Locked;
    }
    const int error = errno;
    if (error == EWOULDBLOCK || error == EINTR)
        return Attempt::HeldElsewhere;
    m_error = QString::fromLocal8Bit(std::strerror(error));
    if (unsupported(error))
        return Attempt::Unsupported;
    throw DbError(QStringLiteral("cannot lock the migration lock file %1: %2").arg(m_path, m_error));
}

void LockFile::unlock()
{
    stopHeartbeat();
    if (m_locked && m_fd >= 0)
        ::flock(m_fd, LOCK_UN);
    m_locked = false;
}

void LockFile::startHeartbeat()
{
    if (m_heartbeat || m_fd < 0)
        return;
    m_stop = false;
    ::futimens(m_fd, nullptr);
    const int fd = m_fd;
    m_heartbeat = std::make_unique<std::thread>([this, fd] {
        // Sleep in small slices so that unlock() never waits long for this thread.
        using namespace std::chrono;
        auto next = steady_clock::now() + milliseconds(heartbeatMs);
        while (!m_stop.load()) {
            std::this_thread::sleep_for(milliseconds(50));
            if (steady_clock::now() >= next) {
                ::futimens(fd, nullptr);
                next = steady_clock::now() + milliseconds(heartbeatMs);
            }
        }
    });
}

void LockFile::stopHeartbeat()
{
    if (!m_heartbeat)
        return;
    m_stop = true;
    m_heartbeat->join();
    m_heartbeat.reset();
}

} // namespace dbdeck

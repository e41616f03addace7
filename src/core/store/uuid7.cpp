#include "store/uuid7.h"

#include <QMutex>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <chrono>

namespace dbdeck {

QString Uuid7::generate()
{
    static QMutex mutex;
    static quint64 lastMs = 0;
    static quint32 counter = 0; // 12 bits in rand_a, then 30 bits carried in the top of rand_b
    quint64 ms = quint64(std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count());
    quint32 sequence;
    {
        QMutexLocker lock(&mutex);
        if (ms <= lastMs) {
            ms = lastMs;
            ++counter;
            if (counter >= (1u << 12)) { // the millisecond is used up: borrow the next one
                ms = ++lastMs;
                counter = 0;
            }
        } else {
            lastMs = ms;
            counter = QRandomGenerator::global()->bounded(1u << 10); // leaves room to count up
        }
        sequence = counter;
    }
    const quint64 random = QRandomGenerator::global()->generate64();
    unsigned char b[16];
    for (int i = 0; i < 6; ++i)
        b[i] = uchar(ms >> (40 - 8 * i));
    b[6] = uchar(0x70 | ((sequence >> 8) & 0x0f));
    b[7] = uchar(sequence & 0xff);
    b[8] = uchar(0x80 | ((random >> 56) & 0x3f));
    for (int i = 9; i < 16; ++i)
        b[i] = uchar(random >> (8 * (15 - i)));
    const QByteArray hex = QByteArray(reinterpret_cast<const char *>(b), 16).toHex();
    return QString::fromLatin1(hex.left(8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-' + hex.mid(16, 4) + '-' + hex.mid(20));
}

bool Uuid7::isValid(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    return re.match(text).hasMatch();
}

} // namespace dbdeck

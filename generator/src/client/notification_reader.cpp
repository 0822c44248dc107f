// Notifications from one connection's bytes (see notification_reader.hpp).
#include "client/notification_reader.hpp"

#include <iomanip>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <metergen/axdr/axdr.hpp>
#include <metergen/push/data_notification.hpp>
#include <metergen/security/ciphering.hpp>

#include "client/data.hpp"
#include "client/session.hpp"

namespace metergen::client {
namespace {

std::string hex(const Bytes& b) {
  std::ostringstream s;
  for (auto x : b) s << std::hex << std::uppercase << std::setw(2) << std::setfill('0') << int(x);
  return s.str();
}

std::string time_text(const push::Notification& n) {
  if (!n.has_time) return "";
  std::uint8_t raw[2 + 12];
  ByteWriter w(raw, sizeof raw);
  axdr::put_date_time_octets(w, n.time);
  return data_to_text(Bytes(raw, raw + w.size()));
}

}  // namespace

// What a received frame was, for printing.
struct NotificationPrinter::Received {
  wrapper::Header header;
  std::optional<std::uint8_t> sc;  // set when it arrived ciphered
  std::uint32_t ic = 0;
  Bytes system_title;
  Bytes apdu;                      // the plain DataNotification
};

NotificationPrinter::NotificationPrinter(NotificationKeys keys, bool json, std::ostream& out, std::ostream& err)
    : keys_(std::move(keys)), json_(json), out_(out), err_(err) {}

bool NotificationPrinter::print(const wrapper::Header& h, const Bytes& apdu) {
  Received r;
  r.header = h;
  if (!apdu.empty() && apdu[0] == security::kGeneralGloCipheringTag) {
    if (!decipher(apdu, r)) return false;
  } else {
    r.apdu = apdu;
  }
  push::Notification n{};
  if (!push::decode(ByteReader(r.apdu.data(), r.apdu.size()), n)) {
    err_ << "metergen listen: wPort " << h.source << " -> " << h.destination << ": not a DataNotification ("
         << r.apdu.size() << " bytes)\n";
    return false;
  }
  // The body and the time are decoded before anything is printed, so a
  // malformed one prints no half line.
  const Bytes body(n.body.current(), n.body.current() + n.body.remaining());
  const std::uint32_t invoke_id = n.long_invoke_id_and_priority & push::kInvokeIdMask;
  std::ostringstream line;
  try {
    if (json_) {
      nlohmann::ordered_json j;
      j["source_wport"] = h.source;
      j["destination_wport"] = h.destination;
      j["long_invoke_id_and_priority"] = n.long_invoke_id_and_priority;
      j["invoke_id"] = invoke_id;
      j["date_time"] = n.has_time ? nlohmann::ordered_json(time_text(n)) : nlohmann::ordered_json(nullptr);
      if (r.sc) j["ciphered"] = {{"security_control", *r.sc}, {"invocation_counter", r.ic}, {"system_title", hex(r.system_title)}};
      j["body"] = data_to_json(body);
      line << j.dump() << '\n';
    } else {
      line << "notification " << printed_ + 1 << ": wPort " << h.source << " -> " << h.destination << ", invoke id "
           << invoke_id;
      if (n.has_time) line << ", " << time_text(n);
      if (r.sc) line << ", ciphered (SC " << std::hex << std::uppercase << int(*r.sc) << std::dec << ", IC " << r.ic
                     << ", system title " << hex(r.system_title) << ")";
      line << "\n  " << data_to_text(body) << '\n';
    }
  } catch (const ClientError& e) {
    err_ << "metergen listen: wPort " << h.source << " -> " << h.destination << ": a DataNotification whose body "
         << "cannot be decoded (" << e.what() << ")\n";
    return false;
  }
  ++printed_;
  out_ << line.str() << std::flush;
  return true;
}

bool NotificationPrinter::decipher(const Bytes& apdu, Received& r) {
  ByteReader in(apdu.data(), apdu.size());
  security::GloFrame frame{};
  if (!security::parse_glo(in, frame) || frame.system_title == nullptr) {
    err_ << "metergen listen: a general-glo-ciphering APDU without a system title or with a bad length\n";
    return false;
  }
  Credentials keys;
  keys.ek = keys_.ek;
  keys.ak = keys_.ak;
  if (!keys_.secrets.empty())
    load_secrets(keys_.secrets, keys_.client_sap >= 0 ? keys_.client_sap : r.header.destination, keys);
  if (keys.ek.size() != security::kKeySize || keys.ak.size() != security::kKeySize) {
    err_ << "metergen listen: a ciphered notification and no keys (--ek/--ak or --secrets)\n";
    return false;
  }
  security::Keys k{};
  std::copy(keys.ek.begin(), keys.ek.end(), k.ek);
  std::copy(keys.ak.begin(), keys.ak.end(), k.ak);
  r.system_title.assign(frame.system_title, frame.system_title + security::kSystemTitleSize);
  r.apdu.resize(apdu.size());
  security::Unprotected u = security::unprotect(frame.content, 0, k, frame.system_title, r.apdu.data(), r.apdu.size());
  if (u.status != security::Status::ok) {
    err_ << "metergen listen: a ciphered notification that does not decipher with the keys given\n";
    return false;
  }
  r.apdu.resize(u.length);
  r.sc = u.sc;
  r.ic = u.ic;
  return true;
}

NotificationConnection::NotificationConnection()
    : buffer_(kMaxApdu), frames_(std::make_unique<wrapper::Reassembler>(buffer_.data(), buffer_.size())) {}

bool NotificationConnection::feed(const std::uint8_t* data, std::size_t size, NotificationPrinter& printer, int limit,
                                  std::ostream& err) {
  std::size_t at = 0;
  while (at < size && printer.printed() < limit) {
    wrapper::Reassembler::Event e = wrapper::Reassembler::Event::none;
    at += frames_->feed(data + at, size - at, e);
    if (e == wrapper::Reassembler::Event::error) {
      err << "metergen listen: a wrapper header with another version or an APDU over " << kMaxApdu
          << " bytes; connection closed\n";
      return false;
    }
    if (e != wrapper::Reassembler::Event::apdu) continue;
    const std::span<std::uint8_t> apdu = frames_->apdu();
    printer.print(frames_->header(), Bytes(apdu.begin(), apdu.end()));
    frames_->reset();
  }
  return true;
}

}  // namespace metergen::client

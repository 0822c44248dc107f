// Client association and services (see session.hpp).
#include "client/session.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <random>

#include <metergen/acse/acse.hpp>
#include <metergen/acse/conformance.hpp>
#include <metergen/axdr/axdr.hpp>
#include <metergen/security/ciphering.hpp>
#include <metergen/security/hls_gmac.hpp>
#include <metergen/xdlms/xdlms.hpp>

#include "client/data.hpp"

namespace metergen::client {
namespace {

// Invoke-Id-And-Priority: high priority, confirmed, invoke id 1.
constexpr std::uint8_t kInvokeId = 0xC1;
constexpr Obis kCurrentAssociation{0, 0, 40, 0, 0, 255};
// Bound on GET blocks (1024-byte PDUs: ~64 MB), so a misbehaving meter cannot loop us forever.
constexpr std::uint32_t kMaxBlocks = 65536;

constexpr std::uint32_t kProposedConformance =
    acse::conformance::kBlockTransferWithGetOrRead | acse::conformance::kBlockTransferWithSetOrWrite |
    acse::conformance::kBlockTransferWithAction | acse::conformance::kMultipleReferences |
    acse::conformance::kGet | acse::conformance::kSet | acse::conformance::kSelectiveAccess |
    acse::conformance::kAction;

const char* exception_name(xdlms::ServiceError e) {
  switch (e) {
    case xdlms::ServiceError::operation_not_possible: return "operation not possible";
    case xdlms::ServiceError::service_not_supported: return "service not supported";
    case xdlms::ServiceError::pdu_too_long: return "PDU too long";
    case xdlms::ServiceError::deciphering_error: return "deciphering error";
    case xdlms::ServiceError::invocation_counter_error: return "invocation counter error";
    default: return "other reason";
  }
}

Bytes written(const std::uint8_t* buf, const ByteWriter& w) {
  if (w.overflow()) throw ClientError("request too long for the client buffer");
  return Bytes(buf, buf + w.size());
}

xdlms::CosemAttributeDescriptor attribute_descriptor(const AttributeRef& a) {
  xdlms::CosemAttributeDescriptor d{};
  d.class_id = static_cast<std::uint16_t>(a.class_id);
  for (int i = 0; i < 6; ++i) d.ln.b[i] = a.logical_name[i];
  d.attribute_id = static_cast<std::int8_t>(a.id);
  return d;
}

std::string describe(const AttributeRef& a, const char* what) {
  return "object " + format_obis(a.logical_name) + " " + what + " " + std::to_string(a.id);
}

std::vector<std::uint8_t> hex_bytes(const std::string& text, const std::string& what) {
  std::string digits;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) digits += c;
  if (digits.size() % 2 != 0 || digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    throw ClientError(what + " is not hex: '" + text + "'");
  Bytes out;
  for (std::size_t i = 0; i < digits.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return out;
}

security::Keys keys_of(const Credentials& c) {
  security::Keys k{};
  std::copy(c.ek.begin(), c.ek.end(), k.ek);
  std::copy(c.ak.begin(), c.ak.end(), k.ak);
  return k;
}

}  // namespace

const char* user_diagnostic_name(int d) {
  static const char* const names[] = {
      "null", "no reason given", "application context name not supported", "calling AP title not recognized",
      "calling AP invocation id not recognized", "calling AE qualifier not recognized",
      "calling AE invocation id not recognized", "called AP title not recognized",
      "called AP invocation id not recognized", "called AE qualifier not recognized",
      "called AE invocation id not recognized", "authentication mechanism name not recognised",
      "authentication mechanism name required", "authentication failure", "authentication required"};
  return d >= 0 && d <= 14 ? names[d] : "unknown diagnostic";
}

void load_secrets(const std::string& path, int client_sap, Credentials& c) {
  std::ifstream in(path);
  if (!in) throw ClientError("cannot read secrets file " + path);
  std::string line, prefix = "sap." + std::to_string(client_sap) + ".";
  auto trim = [](std::string s) {
    auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  for (int number = 1; std::getline(in, line); ++number) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto eq = t.find('=');
    if (eq == std::string::npos) throw ClientError(path + ":" + std::to_string(number) + ": expected key = value");
    std::string key = trim(t.substr(0, eq)), value = trim(t.substr(eq + 1));
    if (key.rfind(prefix, 0) != 0) continue;
    std::string field = key.substr(prefix.size());
    if (field == "lls_password" && c.password.empty()) c.password = value;
    if (field == "ek" && c.ek.empty()) c.ek = hex_bytes(value, path + ": " + key);
    if (field == "ak" && c.ak.empty()) c.ak = hex_bytes(value, path + ": " + key);
  }
}

Session::Session(std::unique_ptr<Transport> transport, const Credentials& credentials, const std::string& meter_name)
    : transport_(std::move(transport)), credentials_(credentials), meter_name_(meter_name),
      counter_(credentials.invocation_counter) {
  bool keys_needed = credentials_.ciphered || credentials_.authentication == Authentication::hls_gmac;
  if (keys_needed && (credentials_.ek.size() != security::kKeySize || credentials_.ak.size() != security::kKeySize))
    throw ClientError("HLS and the ciphered context need --ek and --ak (16 bytes each, hex) or --secrets");
  if (credentials_.system_title.size() != security::kSystemTitleSize)
    throw ClientError("the client system title must be 8 bytes");
}

Session::~Session() {
  if (transport_) transport_->close();
}

void Session::associate() {
  AssociationOutcome outcome = try_associate();
  if (!outcome.accepted) throw ClientError("association rejected by " + meter_name_ + ": " + outcome.reason);
  authenticate();
}

AssociationOutcome Session::try_associate() {
  ciphered_ = credentials_.ciphered;
  acse::Aarq rq;
  rq.context = ciphered_ ? acse::ContextId::ln_ciphered : acse::ContextId::ln;
  bool hls = credentials_.authentication == Authentication::hls_gmac;
  // The calling-AP-title is what deciphering and HLS-GMAC need; a password login
  // in the plain context sends none, as independent clients do.
  if (credentials_.calling_ap_title.value_or(ciphered_ || hls))
    rq.calling_ap_title = {credentials_.system_title.data(), credentials_.system_title.size()};
  if (credentials_.mechanism_override) {
    rq.authentication = rq.has_mechanism = true;
    rq.mechanism = static_cast<acse::Mechanism>(*credentials_.mechanism_override);
    rq.authentication_value = {reinterpret_cast<const std::uint8_t*>(credentials_.password.data()),
                               credentials_.password.size()};
  } else if (credentials_.authentication == Authentication::lls) {
    rq.authentication = rq.has_mechanism = true;
    rq.mechanism = acse::Mechanism::lls;
    rq.authentication_value = {reinterpret_cast<const std::uint8_t*>(credentials_.password.data()),
                               credentials_.password.size()};
  } else if (hls) {
    rq.authentication = rq.has_mechanism = true;
    rq.mechanism = acse::Mechanism::hls_gmac;
    std::random_device random;
    challenge_.resize(16);
    for (auto& b : challenge_) b = static_cast<std::uint8_t>(random());
    rq.authentication_value = {challenge_.data(), challenge_.size()};
  }
  acse::InitiateRequest init;
  init.conformance = kProposedConformance;
  init.max_receive_pdu_size = credentials_.max_pdu;
  std::uint8_t init_buf[32];
  ByteWriter iw(init_buf, sizeof init_buf);
  acse::encode_initiate_request(init, iw);
  rq.user_information = {init_buf, iw.size()};
  std::uint8_t aarq_buf[256];
  ByteWriter w(aarq_buf, sizeof aarq_buf);
  acse::encode_aarq(rq, w);

  Bytes reply = transport_->exchange(written(aarq_buf, w));
  acse::Aare re;
  if (!acse::decode_aare(ByteReader(reply.data(), reply.size()), re))
    throw ClientError(meter_name_ + " answered the AARQ with a malformed AARE");
  AssociationOutcome outcome;
  outcome.result = static_cast<int>(re.result);
  outcome.diagnostic_source = static_cast<int>(re.diagnostic_source);
  outcome.diagnostic = re.diagnostic;
  if (re.result != acse::AssociationResult::accepted) {
    outcome.reason = re.diagnostic_source == acse::DiagnosticSource::service_user
                         ? user_diagnostic_name(re.diagnostic)
                         : "service provider diagnostic " + std::to_string(re.diagnostic);
    acse::InitiateResponse ir;
    acse::ByteView glo;
    if (re.user_information.present() &&
        acse::decode_initiate_response(re.user_information, ir, glo) == acse::Initiate::service_error) {
      outcome.initiate_error = static_cast<int>(ir.error);
      outcome.reason = "xDLMS initiate error " + std::to_string(static_cast<int>(ir.error));
    }
    return outcome;
  }
  if (re.responding_ap_title.present()) server_title_.assign(re.responding_ap_title.data, re.responding_ap_title.data + re.responding_ap_title.size);
  acse::InitiateResponse ir;
  acse::ByteView glo;
  acse::Initiate kind = acse::decode_initiate_response(re.user_information, ir, glo);
  Bytes plain_initiate;
  if (kind == acse::Initiate::ciphered) {
    plain_initiate = unwrap(Bytes(glo.data, glo.data + glo.size));
    kind = acse::decode_initiate_response({plain_initiate.data(), plain_initiate.size()}, ir, glo);
  }
  if (kind != acse::Initiate::plain) throw ClientError(meter_name_ + " sent no valid InitiateResponse in its AARE");
  server_max_pdu_ = ir.max_receive_pdu_size;
  associated_ = true;
  outcome.accepted = true;
  if (hls) {
    if (!re.authentication_value.present()) throw ClientError(meter_name_ + " sent no HLS challenge (StoC)");
    if (server_title_.size() != security::kSystemTitleSize)
      throw ClientError(meter_name_ + " sent no system title with its HLS challenge");
    stoc_.assign(re.authentication_value.data, re.authentication_value.data + re.authentication_value.size);
  }
  return outcome;
}

void Session::authenticate() {
  if (associated_ && credentials_.authentication == Authentication::hls_gmac && !credentials_.mechanism_override)
    hls_pass3();
}

void Session::hls_pass3() {
  AttributeRef method{15, kCurrentAssociation, 1};
  security::Keys keys = keys_of(credentials_);
  std::optional<Bytes> f_ctos;
  try {
    f_ctos = action_with(method, [&] {
      std::uint8_t f[security::kHlsGmacReplySize];
      security::hls_gmac_reply(keys, credentials_.system_title.data(), counter_++, stoc_.data(), stoc_.size(), f);
      std::uint8_t buf[32];
      ByteWriter w(buf, sizeof buf);
      axdr::put_octet_string(w, f, sizeof f);
      return written(buf, w);
    });
  } catch (const ClientError& e) {
    throw ClientError(std::string("HLS authentication failed: ") + e.what());
  }
  ByteReader r(f_ctos ? f_ctos->data() : nullptr, f_ctos ? f_ctos->size() : 0);
  const std::uint8_t* p = nullptr;
  std::size_t n = 0;
  std::uint32_t server_ic = 0;
  if (!f_ctos || !axdr::get_octet_string_view(r, p, n) ||
      !security::hls_gmac_verify(keys, server_title_.data(), challenge_.data(), challenge_.size(), p, n, &server_ic))
    throw ClientError("HLS authentication failed: the meter's f(CtoS) does not verify (wrong keys?)");
}

Bytes Session::unwrap(const Bytes& reply) {
  ByteReader r(reply.data(), reply.size());
  security::GloFrame frame;
  if (!security::parse_glo(r, frame)) throw ClientError(meter_name_ + " sent a malformed ciphered APDU");
  if (server_title_.size() != security::kSystemTitleSize)
    throw ClientError(meter_name_ + " sent a ciphered APDU but no system title");
  security::Keys keys = keys_of(credentials_);
  Bytes plain(reply.size());
  security::Unprotected u = security::unprotect(frame.content, security::kScAuthentication, keys,
                                                server_title_.data(), plain.data(), plain.size());
  if (u.status != security::Status::ok)
    throw ClientError(meter_name_ + " sent a ciphered APDU that does not authenticate (wrong keys?)");
  plain.resize(u.length);
  return plain;
}

Bytes Session::request(const std::function<Bytes()>& build) {
  if (!associated_) throw ClientError("not associated");
  for (int attempt = 0;; ++attempt) {
    Bytes apdu;
    if (ciphered_) {
      std::uint32_t ic = counter_++;
      Bytes plain = build();
      std::vector<std::uint8_t> buf(plain.size() + 32);
      ByteWriter w(buf.data(), buf.size());
      security::Keys keys = keys_of(credentials_);
      if (!security::protect_glo(w, security::kScAuthenticatedEncryption, keys, credentials_.system_title.data(), ic,
                                 plain.data(), plain.size()))
        throw ClientError("cannot cipher the request");
      apdu = written(buf.data(), w);
    } else {
      apdu = build();
    }
    Bytes reply = transport_->exchange(apdu);
    largest_reply_ = std::max(largest_reply_, reply.size());
    if (reply.empty()) throw ClientError(meter_name_ + " acknowledged the request without a reply");
    if (reply[0] == xdlms::kExceptionResponse) {
      xdlms::ExceptionResponse ex{};
      if (xdlms::decode_exception_response(ByteReader(reply.data(), reply.size()), ex) != xdlms::Decode::ok)
        throw ClientError(meter_name_ + " sent a malformed exception-response");
      if (ex.service == xdlms::ServiceError::invocation_counter_error && ciphered_ && attempt == 0) {
        counter_ = ex.invocation_counter;  // the meter has seen newer counters: continue from its expectation
        continue;
      }
      throw ClientError(meter_name_ + " refused the request: exception-response (" + exception_name(ex.service) + ")");
    }
    if (ciphered_ && security::plain_tag_of(reply[0]) != 0) return unwrap(reply);
    return reply;
  }
}

Bytes Session::follow_get(const std::function<Bytes()>& build, const std::string& what, const BlockProgress& progress,
                          bool& blocked) {
  Bytes reply = request(build);
  Bytes raw;
  blocked = false;
  for (std::uint32_t expected = 1;; ++expected) {
    xdlms::GetResponse response{};
    if (xdlms::decode_get_response(ByteReader(reply.data(), reply.size()), response) != xdlms::Decode::ok)
      throw ClientError(meter_name_ + " sent a malformed GET response for " + what);
    if (response.type != xdlms::GetResponseType::with_datablock) return reply;
    blocked = true;
    if (!response.has_raw) {
      const int code = static_cast<int>(response.result.error);
      throw ResultError(what + ": " + data_access_result_name(code) + " (block " +
                            std::to_string(response.block_number) + ")",
                        code);
    }
    if (response.block_number != expected)
      throw ClientError(meter_name_ + " sent block " + std::to_string(response.block_number) + ", expected " +
                        std::to_string(expected));
    ByteReader chunk = response.raw;
    const std::uint8_t* p = chunk.take(chunk.remaining());
    raw.insert(raw.end(), p, p + chunk.position());
    if (progress) progress(response.block_number, raw.size());
    if (response.last) return raw;
    if (expected >= kMaxBlocks) throw ClientError(meter_name_ + " sent more than " + std::to_string(kMaxBlocks) + " blocks");
    reply = request([&] {
      std::uint8_t buf[16];
      ByteWriter w(buf, sizeof buf);
      xdlms::put_get_request_next(w, kInvokeId, expected);
      return written(buf, w);
    });
  }
}

Bytes Session::get(const AttributeRef& attribute, const AccessSelection& access, const BlockProgress& progress) {
  xdlms::AccessSelection selection{access.selector != 0, static_cast<std::uint8_t>(access.selector),
                                   ByteReader(access.parameters.data(), access.parameters.size())};
  auto descriptor = attribute_descriptor(attribute);
  const std::string what = describe(attribute, "attribute");
  bool blocked = false;
  Bytes reply = follow_get(
      [&] {
        std::vector<std::uint8_t> buf(64 + access.parameters.size());
        ByteWriter w(buf.data(), buf.size());
        xdlms::put_get_request(w, kInvokeId, descriptor, selection);
        return written(buf.data(), w);
      },
      what, progress, blocked);
  if (!blocked) {
    xdlms::GetResponse response{};
    xdlms::decode_get_response(ByteReader(reply.data(), reply.size()), response);
    if (response.type != xdlms::GetResponseType::normal)
      throw ClientError(meter_name_ + " sent a malformed GET response for " + what);
    if (!response.result.has_data) {
      const int code = static_cast<int>(response.result.error);
      throw ResultError(what + ": " + data_access_result_name(code), code);
    }
    ByteReader d = response.result.data;
    const std::uint8_t* p = d.take(d.remaining());
    return Bytes(p, p + d.position());
  }
  ByteReader r(reply.data(), reply.size());
  if (!axdr::skip_value(r, 16) || !r.empty())
    throw ClientError(meter_name_ + " sent blocks that do not form one Data value for " + what);
  return reply;
}

std::vector<ListItem> Session::get_with_list(const std::vector<AttributeRef>& attributes) {
  const std::string what = "a GET-with-list of " + std::to_string(attributes.size()) + " attributes";
  bool blocked = false;
  Bytes reply = follow_get(
      [&] {
        std::vector<std::uint8_t> buf(16 + 16 * attributes.size());
        ByteWriter w(buf.data(), buf.size());
        xdlms::put_get_request_list(w, kInvokeId, static_cast<std::uint32_t>(attributes.size()));
        for (const auto& a : attributes) xdlms::put_attribute_item(w, attribute_descriptor(a), {false, 0, ByteReader()});
        return written(buf.data(), w);
      },
      what, {}, blocked);
  // The list: count, then per item 00 Data or 01 Data-Access-Result (blocks carry the same bytes).
  ByteReader r(reply.data(), reply.size());
  if (!blocked) {
    xdlms::GetResponse response{};
    xdlms::decode_get_response(ByteReader(reply.data(), reply.size()), response);
    if (response.type == xdlms::GetResponseType::normal && !response.result.has_data) {
      const int code = static_cast<int>(response.result.error);
      throw ResultError(what + ": " + data_access_result_name(code), code);
    }
    if (response.type != xdlms::GetResponseType::with_list || reply.size() < 3)
      throw ClientError(meter_name_ + " did not answer " + what + " with a list");
    r = ByteReader(reply.data() + 3, reply.size() - 3);
  }
  std::vector<ListItem> items;
  const std::uint32_t count = axdr::get_length(r);
  if (r.error() || count != attributes.size())
    throw ClientError(meter_name_ + " answered " + what + " with another number of results");
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t choice = r.u8();
    ListItem item;
    if (choice == 0) {
      const std::uint8_t* start = r.current();
      if (!axdr::skip_value(r, 16)) throw ClientError(meter_name_ + " sent a malformed Data in its answer to " + what);
      item.data = Bytes(start, r.current());
    } else {
      item.result = r.u8();
    }
    if (r.error()) throw ClientError(meter_name_ + " sent a truncated answer to " + what);
    items.push_back(std::move(item));
  }
  if (!r.empty()) throw ClientError(meter_name_ + " sent trailing bytes in its answer to " + what);
  return items;
}

void Session::set(const AttributeRef& attribute, const Bytes& value) {
  auto descriptor = attribute_descriptor(attribute);
  Bytes reply = request([&] {
    std::vector<std::uint8_t> buf(64 + value.size());
    ByteWriter w(buf.data(), buf.size());
    xdlms::put_set_request(w, kInvokeId, descriptor, {false, 0, ByteReader()});
    w.bytes(value.data(), value.size());
    return written(buf.data(), w);
  });
  xdlms::SetResponse response{};
  if (xdlms::decode_set_response(ByteReader(reply.data(), reply.size()), response) != xdlms::Decode::ok ||
      response.type != xdlms::SetResponseType::normal)
    throw ClientError(meter_name_ + " sent a malformed SET response for " + describe(attribute, "attribute"));
  if (response.result != xdlms::DataAccessResult::success)
    throw ResultError(describe(attribute, "attribute") + ": " + data_access_result_name(static_cast<int>(response.result)),
                      static_cast<int>(response.result));
}

std::vector<int> Session::set_with_list(const std::vector<std::pair<AttributeRef, Bytes>>& items) {
  Bytes reply = request([&] {
    std::size_t size = 16;
    for (const auto& item : items) size += 24 + item.second.size();
    std::vector<std::uint8_t> buf(size);
    ByteWriter w(buf.data(), buf.size());
    w.u8(xdlms::kSetRequest);
    w.u8(static_cast<std::uint8_t>(xdlms::SetRequestType::with_list));
    w.u8(kInvokeId);
    axdr::put_length(w, static_cast<std::uint32_t>(items.size()));
    for (const auto& item : items) xdlms::put_attribute_item(w, attribute_descriptor(item.first), {false, 0, ByteReader()});
    axdr::put_length(w, static_cast<std::uint32_t>(items.size()));
    for (const auto& item : items) w.bytes(item.second.data(), item.second.size());
    return written(buf.data(), w);
  });
  xdlms::SetResponse response{};
  if (xdlms::decode_set_response(ByteReader(reply.data(), reply.size()), response) != xdlms::Decode::ok ||
      response.type != xdlms::SetResponseType::with_list)
    throw ClientError(meter_name_ + " sent a malformed SET-with-list response");
  std::vector<int> results;
  xdlms::DataAccessResult r{};
  while (response.list.next(r)) results.push_back(static_cast<int>(r));
  return results;
}

// DataBlock-SA: last-block, block-number, raw-data (an octet-string's length and bytes).
void Session::set_in_blocks(const AttributeRef& attribute, const Bytes& value, std::size_t block_size) {
  auto descriptor = attribute_descriptor(attribute);
  const std::uint32_t blocks = static_cast<std::uint32_t>((value.size() + block_size - 1) / block_size);
  for (std::uint32_t block = 1; block <= blocks; ++block) {
    const std::size_t at = (block - 1) * block_size, size = std::min(block_size, value.size() - at);
    const bool last = block == blocks;
    Bytes reply = request([&] {
      std::vector<std::uint8_t> buf(64 + size);
      ByteWriter w(buf.data(), buf.size());
      w.u8(xdlms::kSetRequest);
      w.u8(static_cast<std::uint8_t>(block == 1 ? xdlms::SetRequestType::with_first_datablock
                                                : xdlms::SetRequestType::with_datablock));
      w.u8(kInvokeId);
      if (block == 1) xdlms::put_attribute_item(w, descriptor, {false, 0, ByteReader()});
      w.u8(last ? 1 : 0);
      w.be32(block);
      axdr::put_length(w, static_cast<std::uint32_t>(size));
      w.bytes(value.data() + at, size);
      return written(buf.data(), w);
    });
    xdlms::SetResponse response{};
    const bool ok = xdlms::decode_set_response(ByteReader(reply.data(), reply.size()), response) == xdlms::Decode::ok;
    const xdlms::SetResponseType expected = last ? xdlms::SetResponseType::last_datablock : xdlms::SetResponseType::datablock;
    if (ok && response.type == xdlms::SetResponseType::last_datablock && response.result != xdlms::DataAccessResult::success)
      throw ResultError(describe(attribute, "attribute") + ", block " + std::to_string(block) + ": " +
                            data_access_result_name(static_cast<int>(response.result)),
                        static_cast<int>(response.result));
    if (!ok || response.type != expected || response.block_number != block)
      throw ClientError(meter_name_ + " sent a malformed answer to SET block " + std::to_string(block) + " of " +
                        describe(attribute, "attribute"));
  }
}

std::optional<Bytes> Session::action(const AttributeRef& method, const std::optional<Bytes>& parameter) {
  if (!parameter) return action_with(method, std::function<Bytes()>());
  return action_with(method, [&] { return *parameter; });
}

std::optional<Bytes> Session::action_with(const AttributeRef& method, const std::function<Bytes()>& parameter) {
  xdlms::CosemMethodDescriptor descriptor{};
  descriptor.class_id = static_cast<std::uint16_t>(method.class_id);
  for (int i = 0; i < 6; ++i) descriptor.ln.b[i] = method.logical_name[i];
  descriptor.method_id = static_cast<std::int8_t>(method.id);
  Bytes reply = request([&] {
    Bytes value = parameter ? parameter() : Bytes();
    std::vector<std::uint8_t> buf(64 + value.size());
    ByteWriter w(buf.data(), buf.size());
    xdlms::put_action_request(w, kInvokeId, descriptor, static_cast<bool>(parameter));
    w.bytes(value.data(), value.size());
    return written(buf.data(), w);
  });
  xdlms::ActionResponse response{};
  if (xdlms::decode_action_response(ByteReader(reply.data(), reply.size()), response) != xdlms::Decode::ok ||
      response.type != xdlms::ActionResponseType::normal)
    throw ClientError(meter_name_ + " sent a malformed ACTION response for " + describe(method, "method"));
  if (response.item.result != xdlms::ActionResult::success)
    throw ResultError(describe(method, "method") + ": " + action_result_name(static_cast<int>(response.item.result)),
                      static_cast<int>(response.item.result));
  if (!response.item.has_return) return std::nullopt;
  const xdlms::DataResult& ret = response.item.return_value;
  if (!ret.has_data)
    throw ClientError(describe(method, "method") + ": " + data_access_result_name(static_cast<int>(ret.error)));
  ByteReader d = ret.data;
  const std::uint8_t* p = d.take(d.remaining());
  return Bytes(p, p + d.position());
}

void Session::release() {
  if (associated_) {
    std::uint8_t buf[16];
    ByteWriter w(buf, sizeof buf);
    acse::encode_rlrq({true, acse::kReleaseNormal, {}}, w);
    try {
      transport_->exchange(written(buf, w));
    } catch (const ClientError&) {
      // Releasing is best effort: closing the link ends the association anyway.
    }
    associated_ = false;
  }
  transport_->close();
  wire_bytes_ = transport_->wire_bytes();
  transport_.reset();
}

}  // namespace metergen::client

// Section `prepayment`: the account the prepayment engine keeps (docs/prepayment.md).
// Its objects are the model's account (IC 111), credits (IC 112, told apart
// by their credit_type attribute), charge (IC 113) and token gateway (IC 115).
#include <cmath>

#include "sections.hpp"
#include "values.hpp"

namespace metergen::sections {

namespace {

constexpr int kAccountClass = 111, kCreditClass = 112, kChargeClass = 113, kTokenGatewayClass = 115;
constexpr int kCreditTypeToken = 0, kCreditTypeEmergency = 2;
constexpr int kUnitWh = 30;

std::vector<std::size_t> objects_of_class(const Model& m, int class_id) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < m.objects.size(); ++i)
    if (m.objects[i].cls->id == class_id) out.push_back(i);
  return out;
}

// A credit object's credit_type (attribute 3) as the spec gives it; -1 when it does not.
int credit_type(const Object& o) {
  for (const auto& a : o.attributes)
    if (a.index == 3) return std::atoi(a.value.c_str());
  return -1;
}

// Amount units (model.hpp Prepayment): mWh of energy, or 10^-5 of the
// currency (the resolution of STS currency tokens).
constexpr double kMwhPerKwh = 1e6, kUnitsPerCurrency = 1e5;
constexpr int kCurrencyResolution = -5;
// The largest shown amount: IC 111/112/113 amounts are double-long.
constexpr std::int64_t kMaxShown = 2147483647;

// The account's amounts: `<name>_kwh` (kWh) for an energy credit, `<name>`
// (currency units) for a currency credit.
struct AmountKey {
  const char* name;
  std::int64_t Prepayment::*field;
};
constexpr AmountKey kAmounts[] = {
    {"initial_credit", &Prepayment::initial_credit}, {"low_credit", &Prepayment::low_credit},
    {"emergency_credit", &Prepayment::emergency_amount}, {"emergency_below", &Prepayment::emergency_below},
    {"max_credit", &Prepayment::max_credit},
};

// Credit unit and tariff rate (`credit:`); an error for each amount given in
// the other unit.
void read_credit_unit(Context& ctx, const Node& n, Prepayment& p) {
  if (const Node* c = n.find("credit")) {
    p.currency = text(*c, "unit", "energy") == "currency";
    const char* currency_only[] = {"currency", "scale", "rate_per_kwh"};
    if (!p.currency) {
      for (const char* key : currency_only)
        if (const Node* k = c->find(key))
          ctx.diags.error(k->mark.pos(), std::string("prepayment.credit.") + key, "an energy credit has no " + std::string(key),
                          "unit: currency, or no " + std::string(key));
    } else {
      p.currency_name = text(*c, "currency");
      p.scale = static_cast<int>(integer(*c, "scale", -2));
      if (p.currency_name.empty())
        ctx.diags.error(c->mark.pos(), "prepayment.credit", "a currency credit without its currency", "currency: its name, e.g. EUR");
      const Node* r = c->find("rate_per_kwh");
      const double units = r ? *scalar_number(*r) * kUnitsPerCurrency : 0.0;
      const double whole = std::round(units);
      if (!r)
        ctx.diags.error(c->mark.pos(), "prepayment.credit", "a currency credit without a tariff rate", "rate_per_kwh: the price of one kWh");
      else if (std::fabs(units - whole) > 1e-6 * (whole > 1 ? whole : 1) || whole < 1 || whole > 4294967295.0)
        ctx.diags.error(r->mark.pos(), "prepayment.credit.rate_per_kwh",
                        "rate " + r->scalar + " is not a whole number of 0.00001 " + p.currency_name,
                        "a price above 0 with at most 5 decimals, below 42950");
      else
        p.rate = static_cast<std::uint32_t>(whole);
      std::int64_t unit = 1;
      for (int e = kCurrencyResolution; e < p.scale; ++e) unit *= 10;
      p.shown_unit = unit;
    }
  }
  for (const AmountKey& a : kAmounts) {
    const std::string energy_key = std::string(a.name) + "_kwh";
    const std::string& key = p.currency ? std::string(a.name) : energy_key;
    const std::string& wrong = p.currency ? energy_key : std::string(a.name);
    if (const Node* w = n.find(wrong))
      ctx.diags.error(w->mark.pos(), "prepayment." + wrong,
                      p.currency ? "an amount of energy, but the credit is in " + p.currency_name
                                 : "an amount of currency, but the credit is in energy",
                      key + (p.currency ? " (" + p.currency_name + ")" : " (kWh)"));
    if (const Node* v = n.find(key))
      p.*a.field = raw_in_scaler(*scalar_number(*v) * (p.currency ? kUnitsPerCurrency : kMwhPerKwh), 0);
  }
}

// The one object of `class_id` the account needs; an error at the section when there is none or several.
std::optional<std::size_t> the_object(Context& ctx, const Node& section, int class_id, const char* what) {
  const auto found = objects_of_class(ctx.model, class_id);
  if (found.size() == 1) return found.front();
  ctx.diags.error(section.mark.pos(), "prepayment",
                  found.empty() ? std::string("the model has no ") + what + " object"
                                : std::string("the model has ") + std::to_string(found.size()) + " " + what + " objects",
                  std::string("exactly one ") + what + " (IC " + std::to_string(class_id) + ") under objects");
  return std::nullopt;
}

void read_credits(Context& ctx, const Node& section, Prepayment& p) {
  std::optional<std::size_t> token, emergency;
  for (std::size_t i : objects_of_class(ctx.model, kCreditClass)) {
    const Object& o = ctx.model.objects[i];
    const int type = credit_type(o);
    std::optional<std::size_t>& slot = type == kCreditTypeToken ? token : emergency;
    if (type != kCreditTypeToken && type != kCreditTypeEmergency) {
      ctx.diags.error(o.mark.pos(), "objects." + o.name, "credit_type " + std::to_string(type) + " is not kept by the account",
                      "attribute 3 credit_type 0 (token) or 2 (emergency)");
      continue;
    }
    if (slot)
      ctx.diags.error(o.mark.pos(), "objects." + o.name, "a second credit of credit_type " + std::to_string(type),
                      "one token credit and at most one emergency credit");
    slot = i;
  }
  if (!token)
    ctx.diags.error(section.mark.pos(), "prepayment", "the model has no token credit",
                    "a credit (IC 112) object with attribute 3 credit_type 0");
  else
    p.token_credit = *token;
  p.emergency_credit = emergency;
  if (p.emergency_amount > 0 && !emergency)
    ctx.diags.error(field_or(section, p.currency ? "emergency_credit" : "emergency_credit_kwh").mark.pos(), "prepayment.emergency_credit",
                    "emergency credit without an emergency credit object",
                    "a credit (IC 112) object with attribute 3 credit_type 2");
}

void read_friendly(Context& ctx, const Node& f, Prepayment& p) {
  p.friendly_from_min = minutes_of(text(f, "from", "00:00"));
  p.friendly_to_min = minutes_of(text(f, "to", "00:00"));
  p.friendly_weekends = flag(f, "weekends", false);
  p.friendly_special_days = flag(f, "special_days", false);
  bool table = false;
  for (const Object& o : ctx.model.objects) table = table || o.role == "special_days_table";
  if (p.friendly_special_days && !table)
    ctx.diags.error(field_or(f, "special_days").mark.pos(), "prepayment.friendly.special_days",
                    "friendly special days, but the model has no special days table", "a calendar with special_days");
  if (const Node* e = f.find("enable")) {
    auto o = ctx.resolve_one(*e, "prepayment.friendly.enable");
    if (o && ctx.model.objects[*o].type != cosem::DataType::boolean)
      ctx.diags.error(e->mark.pos(), "prepayment.friendly.enable", "'" + ctx.model.objects[*o].name + "' is not a boolean",
                      "a Data object of type boolean");
    else
      p.friendly_enable = o;
  }
}

void read_sts(const Node& s, Prepayment& p) {
  p.sts.algorithm = text(s, "algorithm") == "dea" ? 9 : 7;
  p.sts.key_type = static_cast<int>(integer(s, "key_type", 2));
  p.sts.supply_group = integer(s, "supply_group_code", 0);
  p.sts.tariff_index = static_cast<int>(integer(s, "tariff_index", 0));
  p.sts.key_revision = static_cast<int>(integer(s, "key_revision", 1));
  p.sts.key_expiry = static_cast<int>(integer(s, "key_expiry", 255));
  p.sts.manufacturer_code = static_cast<int>(integer(s, "manufacturer_code", 0));
  const std::string base = text(s, "base_date", "1993");
  p.sts.base_date = base == "2035" ? 2 : base == "2014" ? 1 : 0;
}

// The key data objects the account writes: role, type, string length (0: not a string).
struct KeyDataRole {
  const char* role;
  cosem::DataType type;
  int length;
  const char* expected;
};
constexpr KeyDataRole kKeyDataRoles[] = {
    {"sts_supply_group_code", cosem::DataType::visible_string, 6, "a Data object, visible-string of length 6"},
    {"sts_tariff_index", cosem::DataType::visible_string, 2, "a Data object, visible-string of length 2"},
    {"sts_key_revision", cosem::DataType::unsigned_, 0, "a Data object of type unsigned"},
};

void check_key_data_objects(Context& ctx, bool prepayment) {
  for (const Object& o : ctx.model.objects)
    for (const KeyDataRole& r : kKeyDataRoles) {
      if (o.role != r.role) continue;
      if (!prepayment)
        ctx.diags.warning(o.mark.pos(), "objects." + o.name,
                          "'" + o.name + "' (role " + r.role + ") is inert: the spec has no prepayment section");
      else if (o.cls->id != 1 || o.type != r.type || (r.length != 0 && o.length != r.length))
        ctx.diags.error(o.mark.pos(), "objects." + o.name, "'" + o.name + "' cannot hold role " + r.role, r.expected);
    }
}

}  // namespace

void build_prepayment(Context& ctx) {
  check_key_data_objects(ctx, ctx.tree.find("prepayment") != nullptr);
  const Node* section = ctx.tree.find("prepayment");
  if (!section) {
    for (int c : {kAccountClass, kCreditClass, kChargeClass, kTokenGatewayClass})
      for (std::size_t i : objects_of_class(ctx.model, c))
        ctx.diags.warning(ctx.model.objects[i].mark.pos(), "objects." + ctx.model.objects[i].name,
                          "'" + ctx.model.objects[i].name + "' is inert: the spec has no prepayment section");
    return;
  }
  const Node& n = *section;
  Prepayment p;
  p.mark = n.mark;
  p.payment_mode = text(n, "payment_mode", "prepayment") == "postpayment" ? 1 : 2;
  p.max_credit = kMaxShown * 1000;  // energy: 2,147,483,647 Wh in mWh
  read_credit_unit(ctx, n, p);
  if (p.currency && !n.find("max_credit")) p.max_credit = kMaxShown * p.shown_unit;
  auto account = the_object(ctx, n, kAccountClass, "account");
  auto gateway = the_object(ctx, n, kTokenGatewayClass, "token gateway");
  const auto charges = objects_of_class(ctx.model, kChargeClass);
  if (charges.size() > 1)
    ctx.diags.error(n.mark.pos(), "prepayment", std::to_string(charges.size()) + " charge objects", "at most one charge (IC 113)");
  if (!charges.empty()) p.charge = charges.front();
  read_credits(ctx, n, p);
  auto charged = ctx.resolve_one(*n.find("charged"), "prepayment.charged");
  if (charged && (ctx.model.objects[*charged].source_kind != "energy" || ctx.model.objects[*charged].unit != kUnitWh))
    ctx.diags.error(n.find("charged")->mark.pos(), "prepayment.charged",
                    "'" + ctx.model.objects[*charged].name + "' is not an active energy register", "an energy register in Wh");
  if (const Node* f = n.find("friendly")) read_friendly(ctx, *f, p);
  read_sts(*n.find("sts"), p);
  if (const Node* k = n.find("keypad")) {
    p.keypad_failures = static_cast<int>(integer(*k, "failures", 0));
    p.keypad_lockout_s = static_cast<std::uint32_t>(integer(*k, "lockout_s", 0));
  }
  if (p.max_credit > kMaxShown * p.shown_unit) {
    const char* key = p.currency ? "max_credit" : "max_credit_kwh";
    ctx.diags.error(field_or(n, key).mark.pos(), std::string("prepayment.") + key, "more than the account can hold",
                    "at most 2147483647 shown units (available_credit is a double-long in 10^" + std::to_string(p.scale) +
                        " " + p.currency_name + ")");
  }
  if (!account || !gateway || !charged) return;
  p.account = *account;
  p.token_gateway = *gateway;
  p.charged = *charged;
  ctx.model.prepayment = p;
}

}  // namespace metergen::sections

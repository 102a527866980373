/** Word lists for plausible, obviously fake people, places and products. Emails use example.com (reserved, never delivered). */
export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah", "Sophia", "Mateo", "Isabella", "Lucas", "Mia", "Levi",
  "Charlotte", "Asher", "Harper", "James", "Evelyn", "Leo", "Luna", "Grayson", "Camila", "Ezra", "Gianna", "Luca", "Aria",
  "Ethan", "Ella", "Aiden", "Nora", "Wyatt", "Hazel", "Sebastian", "Zoe", "Jack", "Riley", "Julian", "Lily", "Hudson", "Ellie",
  "Priya", "Arjun", "Mei", "Hiroshi", "Amara", "Kwame", "Fatima", "Omar", "Ingrid", "Lars", "Sofia", "Diego", "Chloe", "Ruth",
];

export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
  "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
  "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
  "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
  "Patel", "Kim", "Okafor", "Schmidt", "Larsen", "Rossi", "Dubois", "Tanaka", "Cohen", "Murphy",
];

export const PLACES: ReadonlyArray<{ city: string; zip: string; countryCode: string; provinceCode?: string; weight: number }> = [
  { city: "New York", zip: "10001", countryCode: "US", provinceCode: "NY", weight: 14 },
  { city: "Los Angeles", zip: "90012", countryCode: "US", provinceCode: "CA", weight: 12 },
  { city: "Chicago", zip: "60601", countryCode: "US", provinceCode: "IL", weight: 8 },
  { city: "Houston", zip: "77002", countryCode: "US", provinceCode: "TX", weight: 7 },
  { city: "Seattle", zip: "98101", countryCode: "US", provinceCode: "WA", weight: 5 },
  { city: "Miami", zip: "33130", countryCode: "US", provinceCode: "FL", weight: 5 },
  { city: "Boston", zip: "02108", countryCode: "US", provinceCode: "MA", weight: 5 },
  { city: "Denver", zip: "80202", countryCode: "US", provinceCode: "CO", weight: 4 },
  { city: "Atlanta", zip: "30303", countryCode: "US", provinceCode: "GA", weight: 4 },
  { city: "Portland", zip: "97204", countryCode: "US", provinceCode: "OR", weight: 3 },
  { city: "Toronto", zip: "M5H 2N2", countryCode: "CA", provinceCode: "ON", weight: 5 },
  { city: "Vancouver", zip: "V6B 1A1", countryCode: "CA", provinceCode: "BC", weight: 3 },
  { city: "Montreal", zip: "H2Y 1C6", countryCode: "CA", provinceCode: "QC", weight: 2 },
  { city: "London", zip: "EC1A 1BB", countryCode: "GB", weight: 4 },
  { city: "Sydney", zip: "2000", countryCode: "AU", provinceCode: "NSW", weight: 2 },
];

export const STREETS = ["Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Elm Street", "Park Road", "Lake View", "Hill Crescent", "River Walk", "Station Road"];

export const LOCALES: Readonly<Record<string, number>> = { en: 80, fr: 6, es: 8, de: 3, ja: 3 };

export const PRODUCT_ADJECTIVES = ["Everyday", "Classic", "Organic", "Merino", "Recycled", "Linen", "Heritage", "Trail", "Studio", "Coastal", "Alpine", "Canvas"];
export const PRODUCT_NOUNS = ["Tote", "Beanie", "Hoodie", "Tee", "Water Bottle", "Notebook", "Candle", "Mug", "Backpack", "Socks", "Scarf", "Blanket", "Cap", "Apron", "Journal", "Throw Pillow"];
export const VARIANT_SETS: ReadonlyArray<readonly string[]> = [["Default Title"], ["Small", "Medium", "Large"], ["Black", "Natural"], ["Blue", "Green", "Rust"]];
export const VENDORS = ["Northwind Goods", "Harbor & Pine", "Fieldwork Supply", "Little Lantern Co."];

/** Carrier names as merchants type them in Shopify, with the shares used for shipments. */
export const CARRIERS: Readonly<Record<string, number>> = { USPS: 40, UPS: 25, FedEx: 18, "DHL Express": 7, "Canada Post": 6, "Royal Mail": 4 };

export const REFUND_NOTES: readonly string[] = ["Arrived damaged", "Wrong size", "Not as described", "Missing item", "Quality issue", "Changed mind"];
export const FAILED_DELIVERY_NOTES: readonly string[] = ["Lost in transit", "Returned to sender", "Undeliverable address"];
export const DELAY_MESSAGES: readonly string[] = ["Weather delay", "Carrier network delay", "Held at sorting facility", "Missed connection"];

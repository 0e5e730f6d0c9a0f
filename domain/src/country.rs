use crate::{DomainError, Language};
use serde::{Deserialize, Serialize};

/// A country by its ISO 3166-1 alpha-2 code, e.g. `AM` for Armenia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country(
    /// The country's row in `COUNTRIES`, so code and names need no search.
    usize,
);

impl Country {
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let code = code.trim().to_ascii_uppercase();
        COUNTRIES
            .binary_search_by(|(known, _)| (*known).cmp(code.as_str()))
            .map(Country)
            .map_err(|_| DomainError::CountryUnknown)
    }

    /// A country by its code, or by its name in one of Kring's languages (what a
    /// spreadsheet made by people tends to hold), letter case aside.
    pub fn parse_code_or_name(input: &str) -> Result<Self, DomainError> {
        let wanted = input.trim().to_lowercase();
        Country::parse(&wanted).or_else(|_| {
            Country::all()
                .find(|country| {
                    Language::ALL
                        .iter()
                        .any(|language| country.name(*language).to_lowercase() == wanted)
                })
                .ok_or(DomainError::CountryUnknown)
        })
    }

    /// Every country, in the order of their codes.
    pub fn all() -> impl Iterator<Item = Country> {
        (0..COUNTRIES.len()).map(Country)
    }

    pub fn code(self) -> &'static str {
        COUNTRIES[self.0].0
    }

    /// The country's name in `language`.
    pub fn name(self, language: Language) -> &'static str {
        let column = match language {
            Language::En => 0,
            Language::Es => 1,
            Language::De => 2,
            Language::Nl => 3,
        };
        COUNTRIES[self.0].1[column]
    }
}

impl TryFrom<String> for Country {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Country::parse(&value)
    }
}

impl From<Country> for String {
    fn from(country: Country) -> Self {
        country.code().to_owned()
    }
}

/// ISO 3166-1 countries with their names in English, Spanish, German and Dutch
/// (the order of `Language::ALL`), sorted by code, taken from the iso-codes project's data and translations.
pub const COUNTRIES: &[(&str, [&str; 4])] = &[
    ("AD", ["Andorra", "Andorra", "Andorra", "Andorra"]),
    (
        "AE",
        [
            "United Arab Emirates",
            "Emiratos Árabes Unidos",
            "Vereinigte Arabische Emirate",
            "Verenigde Arabische Emiraten",
        ],
    ),
    (
        "AF",
        ["Afghanistan", "Afganistán", "Afghanistan", "Afghanistan"],
    ),
    (
        "AG",
        [
            "Antigua and Barbuda",
            "Antigua y Barbuda",
            "Antigua und Barbuda",
            "Antigua en Barbuda",
        ],
    ),
    ("AI", ["Anguilla", "Anguila", "Anguilla", "Anguilla"]),
    ("AL", ["Albania", "Albania", "Albanien", "Albanië"]),
    ("AM", ["Armenia", "Armenia", "Armenien", "Armenië"]),
    ("AO", ["Angola", "Angola", "Angola", "Angola"]),
    ("AQ", ["Antarctica", "Antártida", "Antarktis", "Antarctica"]),
    (
        "AR",
        ["Argentina", "Argentina", "Argentinien", "Argentinië"],
    ),
    (
        "AS",
        [
            "American Samoa",
            "Samoa Estadounidense",
            "Amerikanisch-Samoa",
            "Amerikaans-Samoa",
        ],
    ),
    ("AT", ["Austria", "Austria", "Österreich", "Oostenrijk"]),
    ("AU", ["Australia", "Australia", "Australien", "Australië"]),
    ("AW", ["Aruba", "Aruba", "Aruba", "Aruba"]),
    (
        "AX",
        [
            "Åland Islands",
            "Islas Äland",
            "Åland-Inseln",
            "Ålandseilanden",
        ],
    ),
    (
        "AZ",
        ["Azerbaijan", "Azerbaiyán", "Aserbaidschan", "Azerbeidzjan"],
    ),
    (
        "BA",
        [
            "Bosnia and Herzegovina",
            "Bosnia y Herzegovina",
            "Bosnien und Herzegowina",
            "Bosnië en Herzegovina",
        ],
    ),
    ("BB", ["Barbados", "Barbados", "Barbados", "Barbados"]),
    (
        "BD",
        ["Bangladesh", "Bangladés", "Bangladesch", "Bangladesh"],
    ),
    ("BE", ["Belgium", "Bélgica", "Belgien", "België"]),
    (
        "BF",
        [
            "Burkina Faso",
            "Burquina Faso",
            "Burkina Faso",
            "Burkina Faso",
        ],
    ),
    ("BG", ["Bulgaria", "Bulgaria", "Bulgarien", "Bulgarije"]),
    ("BH", ["Bahrain", "Baréin", "Bahrain", "Bahrein"]),
    ("BI", ["Burundi", "Burundi", "Burundi", "Burundi"]),
    ("BJ", ["Benin", "Benín", "Benin", "Benin"]),
    (
        "BL",
        [
            "Saint Barthélemy",
            "San Bartolomé",
            "Saint-Barthélemy",
            "Saint-Barthélemy",
        ],
    ),
    ("BM", ["Bermuda", "Islas Bermudas", "Bermuda", "Bermuda"]),
    (
        "BN",
        [
            "Brunei Darussalam",
            "Brunei Darussalam",
            "Brunei Darussalam",
            "Brunei",
        ],
    ),
    (
        "BO",
        [
            "Bolivia",
            "Bolivia, Estado plurinacional de",
            "Bolivien",
            "Bolivia, Multinationale Staat",
        ],
    ),
    (
        "BQ",
        [
            "Bonaire, Sint Eustatius and Saba",
            "Islas BES (Caribe Neerlandés)",
            "Bonaire, Sint Eustatius und Saba",
            "Bonaire, Sint Eustatius en Saba",
        ],
    ),
    ("BR", ["Brazil", "Brasil", "Brasilien", "Brazilië"]),
    ("BS", ["Bahamas", "Bahamas", "Bahamas", "Bahama's"]),
    ("BT", ["Bhutan", "Bután", "Bhutan", "Bhutan"]),
    (
        "BV",
        [
            "Bouvet Island",
            "Isla Bouvet",
            "Bouvet-Insel",
            "Bouveteiland",
        ],
    ),
    ("BW", ["Botswana", "Botsuana", "Botsuana", "Botswana"]),
    ("BY", ["Belarus", "Bielorrusia", "Belarus", "Wit-Rusland"]),
    ("BZ", ["Belize", "Belice", "Belize", "Belize"]),
    ("CA", ["Canada", "Canadá", "Kanada", "Canada"]),
    (
        "CC",
        [
            "Cocos (Keeling) Islands",
            "Islas Cocos (Keeling)",
            "Kokos-(Keeling-)Inseln",
            "Cocoseilanden (Keelingeilanden)",
        ],
    ),
    (
        "CD",
        [
            "Congo, The Democratic Republic of the",
            "Congo, República Democrática del",
            "Demokratische Republik Kongo",
            "Congo, Democratische Republiek",
        ],
    ),
    (
        "CF",
        [
            "Central African Republic",
            "República Centroafricana",
            "Zentralafrikanische Republik",
            "Centraal-Afrikaanse Republiek",
        ],
    ),
    ("CG", ["Congo", "Congo", "Kongo", "Congo"]),
    ("CH", ["Switzerland", "Suiza", "Schweiz", "Zwitserland"]),
    (
        "CI",
        [
            "Côte d'Ivoire",
            "Costa de Marfíl",
            "Côte d'Ivoire",
            "Ivoorkust",
        ],
    ),
    (
        "CK",
        ["Cook Islands", "Islas Cook", "Cookinseln", "Cookeilanden"],
    ),
    ("CL", ["Chile", "Chile", "Chile", "Chili"]),
    ("CM", ["Cameroon", "Camerún", "Kamerun", "Kameroen"]),
    ("CN", ["China", "China", "China", "China"]),
    ("CO", ["Colombia", "Colombia", "Kolumbien", "Colombia"]),
    (
        "CR",
        ["Costa Rica", "Costa Rica", "Costa Rica", "Costa Rica"],
    ),
    ("CU", ["Cuba", "Cuba", "Kuba", "Cuba"]),
    (
        "CV",
        ["Cabo Verde", "Cabo Verde", "Kap Verde", "Kaapverdië"],
    ),
    ("CW", ["Curaçao", "Curazao", "Curaçao", "Curaçao"]),
    (
        "CX",
        [
            "Christmas Island",
            "Isla de Navidad",
            "Weihnachtsinseln",
            "Christmaseiland",
        ],
    ),
    ("CY", ["Cyprus", "Chipre", "Zypern", "Cyprus"]),
    ("CZ", ["Czechia", "Chequia", "Tschechien", "Tsjechië"]),
    ("DE", ["Germany", "Alemania", "Deutschland", "Duitsland"]),
    ("DJ", ["Djibouti", "Yibuti", "Dschibuti", "Djibouti"]),
    ("DK", ["Denmark", "Dinamarca", "Dänemark", "Denemarken"]),
    ("DM", ["Dominica", "Dominica", "Dominica", "Dominica"]),
    (
        "DO",
        [
            "Dominican Republic",
            "República Dominicana",
            "Dominikanische Republik",
            "Dominicaanse Republiek",
        ],
    ),
    ("DZ", ["Algeria", "Algeria", "Algerien", "Algerije"]),
    ("EC", ["Ecuador", "Ecuador", "Ecuador", "Ecuador"]),
    ("EE", ["Estonia", "Estonia", "Estland", "Estland"]),
    ("EG", ["Egypt", "Egipto", "Ägypten", "Egypte"]),
    (
        "EH",
        [
            "Western Sahara",
            "Sahara Occidental",
            "Westsahara",
            "Westelijke Sahara",
        ],
    ),
    ("ER", ["Eritrea", "Eritrea", "Eritrea", "Eritrea"]),
    ("ES", ["Spain", "España", "Spanien", "Spanje"]),
    ("ET", ["Ethiopia", "Etiopía", "Äthiopien", "Ethiopië"]),
    ("FI", ["Finland", "Finlandia", "Finnland", "Finland"]),
    ("FJ", ["Fiji", "Fiyi", "Fidschi", "Fiji"]),
    (
        "FK",
        [
            "Falkland Islands (Malvinas)",
            "Islas Falkland (Malvinas)",
            "Falklandinseln (Malwinen)",
            "Falklandeilanden (Malvinas)",
        ],
    ),
    (
        "FM",
        [
            "Micronesia, Federated States of",
            "Micronesia, Estados Federados de",
            "Mikronesien, Föderierte Staaten von",
            "Micronesia",
        ],
    ),
    (
        "FO",
        ["Faroe Islands", "Islas Feroe", "Färöer-Inseln", "Faeröer"],
    ),
    ("FR", ["France", "Francia", "Frankreich", "Frankrijk"]),
    ("GA", ["Gabon", "Gabón", "Gabun", "Gabon"]),
    (
        "GB",
        [
            "United Kingdom",
            "Reino Unido",
            "Vereinigtes Königreich",
            "Verenigd Koninkrijk",
        ],
    ),
    ("GD", ["Grenada", "Granada", "Grenada", "Grenada"]),
    ("GE", ["Georgia", "Georgia", "Georgien", "Georgia"]),
    (
        "GF",
        [
            "French Guiana",
            "Guayana Francesa",
            "Französisch-Guyana",
            "Frans-Guyana",
        ],
    ),
    ("GG", ["Guernsey", "Guernsey", "Guernsey", "Guernsey"]),
    ("GH", ["Ghana", "Ghana", "Ghana", "Ghana"]),
    ("GI", ["Gibraltar", "Gibraltar", "Gibraltar", "Gibraltar"]),
    ("GL", ["Greenland", "Groenlandia", "Grönland", "Groenland"]),
    ("GM", ["Gambia", "Gambia", "Gambia", "Gambia"]),
    ("GN", ["Guinea", "Guinea", "Guinea", "Guinee"]),
    (
        "GP",
        ["Guadeloupe", "Guadalupe", "Guadeloupe", "Guadeloupe"],
    ),
    (
        "GQ",
        [
            "Equatorial Guinea",
            "Guinea Ecuatorial",
            "Äquatorialguinea",
            "Equatoriaal-Guinea",
        ],
    ),
    ("GR", ["Greece", "Grecia", "Griechenland", "Griekenland"]),
    (
        "GS",
        [
            "South Georgia and the South Sandwich Islands",
            "Islas Georgias del Sur y Sándwich del Sur",
            "South Georgia und die Südlichen Sandwichinseln",
            "Zuid-Georgia en de Zuidelijke Sandwicheilanden",
        ],
    ),
    ("GT", ["Guatemala", "Guatemala", "Guatemala", "Guatemala"]),
    ("GU", ["Guam", "Guam", "Guam", "Guam"]),
    (
        "GW",
        [
            "Guinea-Bissau",
            "Guinea-Bisáu",
            "Guinea-Bissau",
            "Guinee-Bissau",
        ],
    ),
    ("GY", ["Guyana", "Guyana", "Guyana", "Guyana"]),
    ("HK", ["Hong Kong", "Hong Kong", "Hongkong", "Hongkong"]),
    (
        "HM",
        [
            "Heard Island and McDonald Islands",
            "Islas Heard y McDonald",
            "Heard und McDonaldinseln",
            "Heardeiland en McDonaldeilanden",
        ],
    ),
    ("HN", ["Honduras", "Honduras", "Honduras", "Honduras"]),
    ("HR", ["Croatia", "Croacia", "Kroatien", "Kroatië"]),
    ("HT", ["Haiti", "Haití", "Haiti", "Haïti"]),
    ("HU", ["Hungary", "Hungría", "Ungarn", "Hongarije"]),
    ("ID", ["Indonesia", "Indonesia", "Indonesien", "Indonesië"]),
    ("IE", ["Ireland", "Irlanda", "Irland", "Ierland"]),
    ("IL", ["Israel", "Israel", "Israel", "Israël"]),
    (
        "IM",
        ["Isle of Man", "Isla de Man", "Insel Man", "Eiland Man"],
    ),
    ("IN", ["India", "India", "Indien", "India"]),
    (
        "IO",
        [
            "British Indian Ocean Territory",
            "Territorio Británico del Océano Índico",
            "Britisches Territorium im Indischen Ozean",
            "Brits Indische Oceaanterritorium",
        ],
    ),
    ("IQ", ["Iraq", "Irak", "Irak", "Irak"]),
    (
        "IR",
        [
            "Iran",
            "Irán, República islámica de",
            "Iran, Islamische Republik",
            "Iran",
        ],
    ),
    ("IS", ["Iceland", "Islandia", "Island", "IJsland"]),
    ("IT", ["Italy", "Italia", "Italien", "Italië"]),
    ("JE", ["Jersey", "Jersey", "Jersey", "Jersey"]),
    ("JM", ["Jamaica", "Jamaica", "Jamaika", "Jamaica"]),
    ("JO", ["Jordan", "Jordania", "Jordanien", "Jordanië"]),
    ("JP", ["Japan", "Japón", "Japan", "Japan"]),
    ("KE", ["Kenya", "Kenia", "Kenia", "Kenia"]),
    (
        "KG",
        ["Kyrgyzstan", "Kirguistán", "Kirgisistan", "Kirgizië"],
    ),
    ("KH", ["Cambodia", "Camboya", "Kambodscha", "Cambodja"]),
    ("KI", ["Kiribati", "Kiribati", "Kiribati", "Kiribati"]),
    ("KM", ["Comoros", "Comores, Islas", "Komoren", "Comoren"]),
    (
        "KN",
        [
            "Saint Kitts and Nevis",
            "San Cristóbal y Nieves",
            "St. Kitts und Nevis",
            "Saint Kitts en Nevis",
        ],
    ),
    (
        "KP",
        [
            "North Korea",
            "Corea, República Democrática Popular de",
            "Nordkorea",
            "Noord-Korea",
        ],
    ),
    (
        "KR",
        [
            "South Korea",
            "Corea, República de",
            "Südkorea",
            "Zuid-Korea",
        ],
    ),
    ("KW", ["Kuwait", "Kuwait", "Kuwait", "Koeweit"]),
    (
        "KY",
        [
            "Cayman Islands",
            "Islas Caimán",
            "Cayman-Inseln",
            "Kaaimaneilanden",
        ],
    ),
    (
        "KZ",
        ["Kazakhstan", "Kazajistán", "Kasachstan", "Kazachstan"],
    ),
    (
        "LA",
        [
            "Laos",
            "República Democrática Popular de Lao",
            "Laos, Demokratische Volksrepublik",
            "Laos Democratische Volksrepubliek",
        ],
    ),
    ("LB", ["Lebanon", "Líbano", "Libanon", "Libanon"]),
    (
        "LC",
        ["Saint Lucia", "Santa Lucía", "St. Lucia", "Saint Lucia"],
    ),
    (
        "LI",
        [
            "Liechtenstein",
            "Liechtenstein",
            "Liechtenstein",
            "Liechtenstein",
        ],
    ),
    ("LK", ["Sri Lanka", "Sri Lanka", "Sri Lanka", "Sri Lanka"]),
    ("LR", ["Liberia", "Liberia", "Liberia", "Liberia"]),
    ("LS", ["Lesotho", "Lesoto", "Lesotho", "Lesotho"]),
    ("LT", ["Lithuania", "Lituania", "Litauen", "Litouwen"]),
    ("LU", ["Luxembourg", "Luxemburgo", "Luxemburg", "Luxemburg"]),
    ("LV", ["Latvia", "Letonia", "Lettland", "Letland"]),
    ("LY", ["Libya", "Libia", "Libyen", "Libië"]),
    ("MA", ["Morocco", "Marruecos", "Marokko", "Marokko"]),
    ("MC", ["Monaco", "Mónaco", "Monaco", "Monaco"]),
    ("MD", ["Moldova", "Moldavia", "Moldau", "Moldavië"]),
    (
        "ME",
        ["Montenegro", "Montenegro", "Montenegro", "Montenegro"],
    ),
    (
        "MF",
        [
            "Saint Martin (French part)",
            "San Martín (zona francesa)",
            "Saint Martin (Französischer Teil)",
            "Sint-Maarten (Frans deel)",
        ],
    ),
    (
        "MG",
        ["Madagascar", "Madagascar", "Madagaskar", "Madagaskar"],
    ),
    (
        "MH",
        [
            "Marshall Islands",
            "Islas Marshall",
            "Marshallinseln",
            "Marshalleilanden",
        ],
    ),
    (
        "MK",
        [
            "North Macedonia",
            "Macedonia del Norte",
            "Nordmazedonien",
            "Noord-Macedonië",
        ],
    ),
    ("ML", ["Mali", "Malí", "Mali", "Mali"]),
    ("MM", ["Myanmar", "Birmania", "Myanmar", "Myanmar"]),
    ("MN", ["Mongolia", "Mongolia", "Mongolei", "Mongolië"]),
    ("MO", ["Macao", "Macao", "Macao", "Macau"]),
    (
        "MP",
        [
            "Northern Mariana Islands",
            "Islas Marianas del Norte",
            "Nördliche Marianen",
            "Noordelijke Marianen",
        ],
    ),
    (
        "MQ",
        ["Martinique", "Martinica", "Martinique", "Martinique"],
    ),
    (
        "MR",
        ["Mauritania", "Mauritania", "Mauretanien", "Mauritanië"],
    ),
    (
        "MS",
        ["Montserrat", "Montserrat", "Montserrat", "Montserrat"],
    ),
    ("MT", ["Malta", "Malta", "Malta", "Malta"]),
    ("MU", ["Mauritius", "Mauricio", "Mauritius", "Mauritius"]),
    (
        "MV",
        ["Maldives", "Islas Maldivas", "Malediven", "Maldiven"],
    ),
    ("MW", ["Malawi", "Malaui", "Malawi", "Malawi"]),
    ("MX", ["Mexico", "México", "Mexiko", "Mexico"]),
    ("MY", ["Malaysia", "Malasia", "Malaysia", "Maleisië"]),
    ("MZ", ["Mozambique", "Mozambique", "Mosambik", "Mozambique"]),
    ("NA", ["Namibia", "Namibia", "Namibia", "Namibië"]),
    (
        "NC",
        [
            "New Caledonia",
            "Nueva Caledonia",
            "Neukaledonien",
            "Nieuw-Caledonië",
        ],
    ),
    ("NE", ["Niger", "Niger", "Niger", "Niger"]),
    (
        "NF",
        ["Norfolk Island", "Isla Norfolk", "Norfolkinsel", "Norfolk"],
    ),
    ("NG", ["Nigeria", "Nigeria", "Nigeria", "Nigeria"]),
    ("NI", ["Nicaragua", "Nicaragua", "Nicaragua", "Nicaragua"]),
    (
        "NL",
        ["Netherlands", "Países Bajos", "Niederlande", "Nederland"],
    ),
    ("NO", ["Norway", "Noruega", "Norwegen", "Noorwegen"]),
    ("NP", ["Nepal", "Nepal", "Nepal", "Nepal"]),
    ("NR", ["Nauru", "Nauru", "Nauru", "Nauru"]),
    ("NU", ["Niue", "Niue", "Niue", "Niue"]),
    (
        "NZ",
        [
            "New Zealand",
            "Nueva Zelanda",
            "Neuseeland",
            "Nieuw-Zeeland",
        ],
    ),
    ("OM", ["Oman", "Omán", "Oman", "Oman"]),
    ("PA", ["Panama", "Panamá", "Panama", "Panama"]),
    ("PE", ["Peru", "Perú", "Peru", "Peru"]),
    (
        "PF",
        [
            "French Polynesia",
            "Polinesia Francesa",
            "Französisch-Polynesien",
            "Frans-Polynesië",
        ],
    ),
    (
        "PG",
        [
            "Papua New Guinea",
            "Papúa Nueva Guinea",
            "Papua-Neuguinea",
            "Papoea-Nieuw-Guinea",
        ],
    ),
    (
        "PH",
        ["Philippines", "Filipinas", "Philippinen", "Filipijnen"],
    ),
    ("PK", ["Pakistan", "Pakistán", "Pakistan", "Pakistan"]),
    ("PL", ["Poland", "Polonia", "Polen", "Polen"]),
    (
        "PM",
        [
            "Saint Pierre and Miquelon",
            "San Pedro y Miquelon",
            "St. Pierre und Miquelon",
            "Saint-Pierre en Miquelon",
        ],
    ),
    (
        "PN",
        ["Pitcairn", "Pitcairn", "Pitcairn", "Pitcairneilanden"],
    ),
    (
        "PR",
        ["Puerto Rico", "Puerto Rico", "Puerto Rico", "Puerto Rico"],
    ),
    (
        "PS",
        [
            "Palestine, State of",
            "Palestina, Estado de",
            "Palästina, Staat",
            "Palestina, Staat",
        ],
    ),
    ("PT", ["Portugal", "Portugal", "Portugal", "Portugal"]),
    ("PW", ["Palau", "Palaos", "Palau", "Palau"]),
    ("PY", ["Paraguay", "Paraguay", "Paraguay", "Paraguay"]),
    ("QA", ["Qatar", "Catar", "Katar", "Qatar"]),
    ("RE", ["Réunion", "Reunión", "Réunion", "Réunion"]),
    ("RO", ["Romania", "Rumanía", "Rumänien", "Roemenië"]),
    ("RS", ["Serbia", "Serbia", "Serbien", "Servië"]),
    (
        "RU",
        [
            "Russian Federation",
            "Federación Rusa",
            "Russische Föderation",
            "Rusland",
        ],
    ),
    ("RW", ["Rwanda", "Ruanda", "Ruanda", "Rwanda"]),
    (
        "SA",
        [
            "Saudi Arabia",
            "Arabia Saudí",
            "Saudi-Arabien",
            "Saoedi-Arabië",
        ],
    ),
    (
        "SB",
        [
            "Solomon Islands",
            "Islas Salomón",
            "Salomoninseln",
            "Salomonseilanden",
        ],
    ),
    (
        "SC",
        ["Seychelles", "Seychelles", "Seychellen", "Seychellen"],
    ),
    ("SD", ["Sudan", "Sudán", "Sudan", "Soedan"]),
    ("SE", ["Sweden", "Suecia", "Schweden", "Zweden"]),
    ("SG", ["Singapore", "Singapur", "Singapur", "Singapore"]),
    (
        "SH",
        [
            "Saint Helena, Ascension and Tristan da Cunha",
            "Santa Elena, Ascensión y Tristán de Acuña",
            "St. Helena, Ascension und Tristan da Cunha",
            "Sint-Helena, Ascension en Tristan da Cunha",
        ],
    ),
    ("SI", ["Slovenia", "Eslovenia", "Slowenien", "Slovenië"]),
    (
        "SJ",
        [
            "Svalbard and Jan Mayen",
            "Svalbard y Jan Mayen",
            "Svalbard und Jan Mayen",
            "Spitsbergen en Jan Mayen",
        ],
    ),
    ("SK", ["Slovakia", "Eslovaquia", "Slowakei", "Slowakije"]),
    (
        "SL",
        [
            "Sierra Leone",
            "Sierra Leona",
            "Sierra Leone",
            "Sierra Leone",
        ],
    ),
    (
        "SM",
        ["San Marino", "San Marino", "San Marino", "San Marino"],
    ),
    ("SN", ["Senegal", "Senegal", "Senegal", "Senegal"]),
    ("SO", ["Somalia", "Somalia", "Somalia", "Somalië"]),
    ("SR", ["Suriname", "Surinám", "Suriname", "Suriname"]),
    (
        "SS",
        ["South Sudan", "Sudán del Sur", "Südsudan", "Zuid-Soedan"],
    ),
    (
        "ST",
        [
            "Sao Tome and Principe",
            "Santo Tomé y Príncipe",
            "São Tomé und Príncipe",
            "Sao Tomé en Principe",
        ],
    ),
    (
        "SV",
        ["El Salvador", "El Salvador", "El Salvador", "El Salvador"],
    ),
    (
        "SX",
        [
            "Sint Maarten (Dutch part)",
            "Isla de San Martín (zona holandsea)",
            "Saint-Martin (Niederländischer Teil)",
            "Sint Maarten (Nederlands deel)",
        ],
    ),
    (
        "SY",
        ["Syria", "República árabe de Siria", "Syrien", "Syrië"],
    ),
    ("SZ", ["Eswatini", "Esuatini", "Eswatini", "Eswatini"]),
    (
        "TC",
        [
            "Turks and Caicos Islands",
            "Islas Turcas y Caicos",
            "Turks- und Caicosinseln",
            "Turks- en Caicoseilanden",
        ],
    ),
    ("TD", ["Chad", "Chad", "Tschad", "Tsjaad"]),
    (
        "TF",
        [
            "French Southern Territories",
            "Territorios Franceses del Sur",
            "Französische Süd- und Antarktisgebiete",
            "Franse Zuidelijke Gebieden",
        ],
    ),
    ("TG", ["Togo", "Togo", "Togo", "Togo"]),
    ("TH", ["Thailand", "Tailandia", "Thailand", "Thailand"]),
    (
        "TJ",
        ["Tajikistan", "Tayikistán", "Tadschikistan", "Tadzjikistan"],
    ),
    ("TK", ["Tokelau", "Tokelau", "Tokelau", "Tokelau"]),
    (
        "TL",
        ["Timor-Leste", "Timor Oriental", "Timor-Leste", "Oost-Timor"],
    ),
    (
        "TM",
        [
            "Turkmenistan",
            "Turkmenistán",
            "Turkmenistan",
            "Turkmenistan",
        ],
    ),
    ("TN", ["Tunisia", "Tunez", "Tunesien", "Tunesië"]),
    ("TO", ["Tonga", "Tonga", "Tonga", "Tonga"]),
    ("TR", ["Türkiye", "Türkiye", "Türkei", "Turkije"]),
    (
        "TT",
        [
            "Trinidad and Tobago",
            "Trinidad y Tobago",
            "Trinidad und Tobago",
            "Trinidad en Tobago",
        ],
    ),
    ("TV", ["Tuvalu", "Tuvalu", "Tuvalu", "Tuvalu"]),
    ("TW", ["Taiwan", "Taiwán", "Taiwan", "Taiwan"]),
    (
        "TZ",
        [
            "Tanzania",
            "Tanzania, República unida de",
            "Tansania",
            "Tanzania",
        ],
    ),
    ("UA", ["Ukraine", "Ucrania", "Ukraine", "Oekraïne"]),
    ("UG", ["Uganda", "Uganda", "Uganda", "Oeganda"]),
    (
        "UM",
        [
            "United States Minor Outlying Islands",
            "Islas Ultramarinas Menores de Estados Unidos",
            "United States Minor Outlying Islands",
            "Kleine afgelegen eilanden van de Verenigde Staten",
        ],
    ),
    (
        "US",
        [
            "United States",
            "Estados Unidos",
            "Vereinigte Staaten",
            "Verenigde Staten",
        ],
    ),
    ("UY", ["Uruguay", "Uruguay", "Uruguay", "Uruguay"]),
    (
        "UZ",
        ["Uzbekistan", "Uzbekistán", "Usbekistan", "Oezbekistan"],
    ),
    (
        "VA",
        [
            "Holy See (Vatican City State)",
            "Santa Sede (Ciudad Estado del Vaticano)",
            "Heiliger Stuhl (Staat Vatikanstadt)",
            "Vaticaanstad, Staat",
        ],
    ),
    (
        "VC",
        [
            "Saint Vincent and the Grenadines",
            "San Vicente y las Granadinas",
            "St. Vincent und die Grenadinen",
            "Saint Vincent en de Grenadines",
        ],
    ),
    (
        "VE",
        [
            "Venezuela",
            "Venezuela, República Bolivariana de",
            "Venezuela, Bolivarische Republik",
            "Venezuela, Bolivariaanse Republiek",
        ],
    ),
    (
        "VG",
        [
            "Virgin Islands, British",
            "Islas Vírgenes, Británicas",
            "Britische Jungferninseln",
            "Maagdeneilanden, Britse",
        ],
    ),
    (
        "VI",
        [
            "Virgin Islands, U.S.",
            "Islas Vírgenes, de EEUU",
            "Amerikanische Jungferninseln",
            "Maagdeneilanden, Amerikaanse",
        ],
    ),
    ("VN", ["Vietnam", "Vietnam", "Vietnam", "Vietnam"]),
    ("VU", ["Vanuatu", "Vanuatu", "Vanuatu", "Vanuatu"]),
    (
        "WF",
        [
            "Wallis and Futuna",
            "Wallis y Futuna",
            "Wallis und Futuna",
            "Wallis en Futuna",
        ],
    ),
    ("WS", ["Samoa", "Samoa", "Samoa", "Samoa"]),
    ("YE", ["Yemen", "Yemen", "Jemen", "Jemen"]),
    ("YT", ["Mayotte", "Mayotte", "Mayotte", "Mayotte"]),
    (
        "ZA",
        ["South Africa", "Sudáfrica", "Südafrika", "Zuid-Afrika"],
    ),
    ("ZM", ["Zambia", "Zambia", "Sambia", "Zambia"]),
    ("ZW", ["Zimbabwe", "Zimbabue", "Simbabwe", "Zimbabwe"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spreadsheet_may_name_the_country_in_any_of_the_four_languages() {
        for (input, code) in [
            ("PE", "PE"),
            (" lk ", "LK"),
            ("Peru", "PE"),
            ("Perú", "PE"),
            ("niederlande", "NL"),
            ("Nederland", "NL"),
            ("Armenia", "AM"),
        ] {
            assert_eq!(
                Country::parse_code_or_name(input).map(Country::code),
                Ok(code),
                "{input}"
            );
        }
        for bad in ["", "Atlantis", "P E"] {
            assert_eq!(
                Country::parse_code_or_name(bad),
                Err(DomainError::CountryUnknown),
                "{bad}"
            );
        }
    }

    #[test]
    fn parses_codes() {
        assert_eq!(Country::parse("am").unwrap().code(), "AM");
        assert_eq!(Country::parse(" NL ").unwrap().code(), "NL");
        for bad in ["", "XX", "NLD", "Netherlands"] {
            assert_eq!(
                Country::parse(bad),
                Err(DomainError::CountryUnknown),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_in_four_languages() {
        let germany = Country::parse("DE").unwrap();
        assert_eq!(germany.name(Language::En), "Germany");
        assert_eq!(germany.name(Language::Es), "Alemania");
        assert_eq!(germany.name(Language::De), "Deutschland");
        assert_eq!(germany.name(Language::Nl), "Duitsland");
        for code in ["AM", "GH", "KE", "PE", "LK", "SY", "NL", "DE"] {
            let country = Country::parse(code).unwrap();
            for language in Language::ALL {
                assert!(!country.name(language).is_empty(), "{code} {language}");
            }
        }
    }

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(COUNTRIES.len() >= 249);
        assert_eq!(Country::all().count(), COUNTRIES.len());
        assert!(COUNTRIES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}

package dev.threatip.demo;

import java.util.List;
import java.util.Map;

/**
 * The networks of the sample population: which operator runs which addresses, in which country
 * and cities. Consumer ISPs own whole first octets (their addresses are drawn anywhere inside, and
 * the databases list the /24 of each one used); hosting providers own the /16 blocks attackers
 * are drawn from (listed whole, so a newcomer drawn later is covered too); Tor exits and the
 * crawlers have their real ranges. All invented, apart from the crawler operators.
 */
final class Operators {
    /** A city with its coordinates. */
    record City(String name, double latitude, double longitude) {
    }

    /**
     * An operator.
     *
     * @param octets   first octets it owns (addresses listed per /24), or empty
     * @param networks CIDRs or two-octet prefixes ({@code 45.141}, a /16) it owns, or empty
     */
    record Operator(long asn, String org, String country, String countryName, Origin.Network network,
                    List<City> cities, List<Integer> octets, List<String> networks) {
    }

    static final String TOR_PREFIX = "185.220.101";

    /** Attackers' hosting blocks per role (two-octet prefixes, each a /16 of one hosting operator). */
    static final Map<SampleWorkspace.Role, List<String>> HOSTING_PREFIXES = Map.of(
            SampleWorkspace.Role.BRUTE_FORCE, List.of("45.141", "91.240", "193.32"),
            SampleWorkspace.Role.SCANNER, List.of("185.224", "185.180", "87.236"),
            SampleWorkspace.Role.WEB_ATTACK, List.of("194.26", "179.43", "103.147"),
            SampleWorkspace.Role.EXPLOIT, List.of("146.70", "162.142"),
            SampleWorkspace.Role.SCRAPER, List.of("134.122", "89.248"),
            SampleWorkspace.Role.PROXY_PROBE, List.of("94.102"));

    /** First octets of shoppers' ISPs; feed filler never uses them. */
    static final int[] VISITOR_OCTETS = {2, 5, 31, 37, 62, 77, 78, 79, 80, 81, 82, 83, 84, 86, 88, 90, 92, 93, 95,
        109, 176, 178, 188, 212, 213, 217};
    /** First octets of the residential proxy pool used for credential stuffing. */
    static final int[] PROXY_POOL_OCTETS = {24, 47, 49, 58, 59, 60, 61, 70, 71, 72, 73, 75, 76, 98, 99, 115, 116,
        119, 120, 180, 182, 183, 197, 220};
    /** First octets of feed filler (listed addresses that are never seen, or only later). */
    static final int[] FILLER_OCTETS = {101, 112, 114, 117, 118, 121, 122, 123, 124, 125, 139, 141, 150, 159, 161,
        164, 167, 171, 175, 177, 181, 186, 187, 189, 190, 191, 200, 201, 222};

    private static final Origin.Network HOME = Origin.Network.RESIDENTIAL;
    private static final Origin.Network DC = Origin.Network.HOSTING;

    static final List<Operator> ALL = List.of(
            // shoppers' ISPs
            isp(64496, "Hexagone Telecom", "FR", "France", List.of(2, 90, 92),
                    city("Paris", 48.8566, 2.3522), city("Lyon", 45.764, 4.8357), city("Marseille", 43.2965, 5.3698),
                    city("Lille", 50.6292, 3.0573)),
            isp(64497, "Rheinland Kabel GmbH", "DE", "Germany", List.of(5, 77, 78, 79),
                    city("Berlin", 52.52, 13.405), city("Hamburg", 53.5511, 9.9937), city("Munich", 48.1351, 11.582),
                    city("Cologne", 50.9375, 6.9603)),
            isp(64498, "Albion Broadband Ltd", "GB", "United Kingdom", List.of(31, 80, 81, 86),
                    city("London", 51.5074, -0.1278), city("Manchester", 53.4808, -2.2426),
                    city("Birmingham", 52.4862, -1.8904), city("Leeds", 53.8008, -1.5491)),
            isp(64499, "Polderlink B.V.", "NL", "Netherlands", List.of(37, 62, 83),
                    city("Amsterdam", 52.3676, 4.9041), city("Rotterdam", 51.9244, 4.4777),
                    city("Utrecht", 52.0907, 5.1214)),
            isp(64500, "Iberia Fibra S.A.", "ES", "Spain", List.of(82, 84, 88),
                    city("Madrid", 40.4168, -3.7038), city("Barcelona", 41.3874, 2.1686),
                    city("Valencia", 39.4699, -0.3763)),
            isp(64501, "Tricolore Rete S.p.A.", "IT", "Italy", List.of(93, 95, 109),
                    city("Milan", 45.4642, 9.19), city("Rome", 41.9028, 12.4964), city("Turin", 45.0703, 7.6869)),
            isp(64502, "Vistula Net Sp. z o.o.", "PL", "Poland", List.of(176, 178, 188),
                    city("Warsaw", 52.2297, 21.0122), city("Krakow", 50.0647, 19.945), city("Gdansk", 54.352, 18.6466)),
            isp(64503, "Kattegat Bredband AB", "SE", "Sweden", List.of(212, 213),
                    city("Stockholm", 59.3293, 18.0686), city("Gothenburg", 57.7089, 11.9746),
                    city("Malmo", 55.605, 13.0038)),
            isp(64504, "Alpenkabel GmbH", "AT", "Austria", List.of(217),
                    city("Vienna", 48.2082, 16.3738), city("Graz", 47.0707, 15.4395)),
            // the residential proxy pool's ISPs
            isp(64505, "Cerrado Telecom S.A.", "BR", "Brazil", List.of(220),
                    city("Sao Paulo", -23.5505, -46.6333), city("Rio de Janeiro", -22.9068, -43.1729),
                    city("Belo Horizonte", -19.9167, -43.9345)),
            isp(64506, "Prairie Cable Communications", "US", "United States", List.of(24, 47, 70, 71, 72, 73, 75, 76, 98, 99),
                    city("Chicago", 41.8781, -87.6298), city("Dallas", 32.7767, -96.797), city("Atlanta", 33.749, -84.388),
                    city("Denver", 39.7392, -104.9903)),
            isp(64507, "Mekong Broadband JSC", "VN", "Vietnam", List.of(49, 58, 59, 60, 61),
                    city("Hanoi", 21.0278, 105.8342), city("Ho Chi Minh City", 10.8231, 106.6297),
                    city("Da Nang", 16.0544, 108.2022)),
            isp(64508, "Deccan Fibernet Pvt Ltd", "IN", "India", List.of(115, 116, 119, 120),
                    city("Mumbai", 19.076, 72.8777), city("Bengaluru", 12.9716, 77.5946), city("Delhi", 28.7041, 77.1025)),
            isp(64509, "Nusantara Seluler", "ID", "Indonesia", List.of(180, 182, 183),
                    city("Jakarta", -6.2088, 106.8456), city("Surabaya", -7.2575, 112.7521)),
            isp(64510, "Savanna Mobile Ltd", "KE", "Kenya", List.of(197),
                    city("Nairobi", -1.2921, 36.8219), city("Mombasa", -4.0435, 39.6682)),
            // hosting providers attackers rent from
            hosting(64511, "Kestrel Cloud Ltd", "NL", "Netherlands", List.of("45.141", "185.224"),
                    city("Amsterdam", 52.3676, 4.9041)),
            hosting(65536, "Baltic Servers UAB", "LT", "Lithuania", List.of("91.240"), city("Vilnius", 54.6872, 25.2797)),
            hosting(65537, "Volga DataCenter LLC", "RU", "Russia", List.of("193.32", "87.236"),
                    city("Moscow", 55.7558, 37.6173), city("Saint Petersburg", 59.9311, 30.3609)),
            hosting(65538, "Main Colocation GmbH", "DE", "Germany", List.of("185.180"), city("Frankfurt am Main", 50.1109, 8.6821)),
            hosting(65539, "Carpathia Host SRL", "RO", "Romania", List.of("194.26"), city("Bucharest", 44.4268, 26.1025)),
            hosting(65540, "Andes Cloud S.A.", "CL", "Chile", List.of("179.43"), city("Santiago", -33.4489, -70.6693)),
            hosting(65541, "Lion City Compute Pte Ltd", "SG", "Singapore", List.of("103.147"), city("Singapore", 1.3521, 103.8198)),
            hosting(65543, "Offshore Stack Ltd", "SC", "Seychelles", List.of("146.70"), city("Victoria", -4.6191, 55.4513)),
            hosting(65544, "Pearl River IDC Ltd", "HK", "Hong Kong", List.of("162.142"), city("Hong Kong", 22.3193, 114.1694)),
            hosting(65545, "Ashburn Metal Inc", "US", "United States", List.of("134.122"), city("Ashburn", 39.0438, -77.4874)),
            hosting(65546, "Dnipro Hosting TOV", "UA", "Ukraine", List.of("89.248"), city("Kyiv", 50.4501, 30.5234)),
            hosting(65547, "Isthmus Networks S.A.", "PA", "Panama", List.of("94.102"), city("Panama City", 8.9824, -79.5199)),
            new Operator(65542, "Zwiebel Relay e.V.", "DE", "Germany", Origin.Network.ANONYMISER,
                    List.of(city("Berlin", 52.52, 13.405)), List.of(), List.of(TOR_PREFIX + ".0/24")),
            // networks that only show up in feeds (and as newcomers of the live traffic)
            new Operator(65548, "Yangtze Backbone Telecom", "CN", "China", DC,
                    List.of(city("Shanghai", 31.2304, 121.4737), city("Beijing", 39.9042, 116.4074)),
                    List.of(101, 112, 114, 117, 118, 121, 122, 123, 124, 125), List.of()),
            new Operator(65549, "Han River Hosting Co.", "KR", "South Korea", DC, List.of(city("Seoul", 37.5665, 126.978)),
                    List.of(139, 141, 150, 159, 161, 164, 167), List.of()),
            new Operator(65550, "Bosphorus Bulut A.S.", "TR", "Turkey", DC, List.of(city("Istanbul", 41.0082, 28.9784)),
                    List.of(171, 175, 177, 181), List.of()),
            new Operator(65551, "Pampas Datacenter S.A.", "AR", "Argentina", DC,
                    List.of(city("Buenos Aires", -34.6037, -58.3816)), List.of(186, 187, 189, 190, 191, 200, 201, 222),
                    List.of()),
            // the verified crawlers
            new Operator(15169, "Google LLC", "US", "United States", Origin.Network.SEARCH_ENGINE,
                    List.of(city("Mountain View", 37.4056, -122.0775)), List.of(), List.of("66.249.64.0/19")),
            new Operator(8075, "Microsoft Corporation", "US", "United States", Origin.Network.SEARCH_ENGINE,
                    List.of(city("Boydton", 36.6676, -78.3875)), List.of(), List.of("157.55.39.0/24", "207.46.13.0/24")));

    private Operators() {
    }

    /** The network the databases list for {@code ip} (a /24 of an ISP, a hosting /16, a crawler range). */
    static String network(String ip) {
        return find(ip).network;
    }

    /** Where {@code ip} is and who runs it. */
    static Origin origin(String ip) {
        Found f = find(ip);
        Operator o = f.operator;
        City c = o.cities().get(Math.floorMod(f.network.hashCode(), o.cities().size()));
        return new Origin(o.country(), o.countryName(), c.name(), c.latitude(), c.longitude(), o.asn(), o.org(),
                o.network());
    }

    private record Found(Operator operator, String network) {
    }

    /**
     * @throws IllegalArgumentException for an address outside every operator's space (a bug in
     *                                  the population: it must draw from the operators' space)
     */
    private static Found find(String ip) {
        String[] q = ip.split("\\.");
        int first = Integer.parseInt(q[0]);
        int second = Integer.parseInt(q[1]);
        int third = Integer.parseInt(q[2]);
        for (Operator o : ALL) {
            for (String n : o.networks()) {
                if (n.indexOf('/') < 0 ? n.equals(first + "." + second) : contains(n, first, second, third)) {
                    return new Found(o, n.indexOf('/') < 0 ? n + ".0.0/16" : n);
                }
            }
            if (o.octets().contains(first)) {
                return new Found(o, first + "." + second + "." + third + ".0/24");
            }
        }
        throw new IllegalArgumentException("no sample operator runs " + ip);
    }

    /** Whether the CIDR (a /16 to /24) holds a.b.c.*. */
    private static boolean contains(String cidr, int a, int b, int c) {
        String[] parts = cidr.split("/");
        String[] q = parts[0].split("\\.");
        int prefix = Integer.parseInt(parts[1]);
        int net = Integer.parseInt(q[0]) << 16 | Integer.parseInt(q[1]) << 8 | Integer.parseInt(q[2]);
        int addr = a << 16 | b << 8 | c;
        int mask = prefix >= 24 ? 0xFFFFFF : ~((1 << (24 - prefix)) - 1) & 0xFFFFFF;
        return (net & mask) == (addr & mask);
    }

    private static City city(String name, double lat, double lon) {
        return new City(name, lat, lon);
    }

    private static Operator isp(long asn, String org, String cc, String country, List<Integer> octets, City... cities) {
        return new Operator(asn, org, cc, country, HOME, List.of(cities), octets, List.of());
    }

    private static Operator hosting(long asn, String org, String cc, String country, List<String> prefixes, City... cities) {
        return new Operator(asn, org, cc, country, DC, List.of(cities), List.of(), prefixes);
    }
}

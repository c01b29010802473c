using Oversight.Domain.Inspections;

namespace Oversight.Cli.Seeding;

/// <summary>
/// Japanese-style names of organizations (place-like stems, trade words and legal forms; never a family name), sending
/// organizations' names, and generic narratives about facts. Nothing here names or describes a person.
/// </summary>
public static class SeedNames
{
    private static readonly string[] Regions =
    [
        "東日本", "西日本", "中部", "関東", "近畿", "九州", "北海道", "東海", "北陸", "中国", "四国", "山陽", "東北", "湘南", "阪神",
        "京浜", "瀬戸内", "信州", "三河", "尾張", "播磨", "筑紫", "房総", "常磐", "富士", "日本", "全国", "アジア", "環太平洋", "南九州",
    ];

    private static readonly string[] Themes =
    [
        "国際交流", "技能実習支援", "産業振興", "人材育成", "経済交流", "技術交流", "中小企業支援", "建設業", "食品産業", "農業振興",
        "繊維産業", "介護事業", "製造業", "国際協力", "技能振興", "商工", "総合事業", "未来創造", "地域振興", "国際人材",
    ];

    private static readonly string[] Flourishes = ["", "", "", "さくら", "みらい", "ひかり", "あおば", "グローバル", "ネクスト", "ワールド", "ユニオン", "ブリッジ"];

    private static readonly string[] Stems =
    [
        "北斗", "大和", "瑞穂", "青葉", "朝日", "旭", "昭和", "富士", "千代田", "丸和", "東洋", "日進", "中央", "光明", "丸栄", "新星",
        "美濃", "若葉", "双葉", "八幡", "白山", "立山", "浜名", "筑波", "那須", "鳴門", "松風", "三和", "協和", "大栄", "東邦", "南海",
        "北陸", "山陽", "湖東", "琴平", "日の出", "みなと", "ひまわり", "すずらん", "あさひ", "さつき", "かもめ", "つばさ", "やまびこ",
        "太陽", "銀河", "明星", "清流", "緑川", "石川", "長浜", "岡崎", "豊橋", "桑名", "鈴鹿", "浜松", "沼津", "高岡", "福山",
    ];

    public static readonly IReadOnlyList<string> Industries =
    [
        "Construction", "Food manufacturing", "Machinery and metal", "Agriculture", "Textiles and clothing", "Nursing care",
        "Other manufacturing", "Fishery", "Building cleaning", "Automobile maintenance", "Plastic molding", "Printing",
    ];

    /// <summary>Weights of <see cref="Industries"/> (shares of implementing organizations, roughly those of accredited plans).</summary>
    public static readonly IReadOnlyList<double> IndustryWeights = [22, 19, 14, 10, 6, 6, 9, 2.5, 2.5, 2.5, 4, 2.5];

    private static readonly string[][] TradeWords =
    [
        ["建設", "工務店", "建工", "土木", "興業"],
        ["食品", "フーズ", "水産加工", "製麺", "製菓"],
        ["精機", "工業", "製作所", "金属", "鉄工所"],
        ["農園", "ファーム", "園芸", "畜産"],
        ["縫製", "繊維", "ニット", "アパレル"],
        ["ケアサービス", "福祉会", "介護センター"],
        ["産業", "工芸", "製紙", "窯業"],
        ["水産", "漁業"],
        ["ビルサービス", "クリーン"],
        ["自動車", "モータース"],
        ["化成", "樹脂工業", "プラスチック"],
        ["印刷", "紙工"],
    ];

    public static string SupervisingOrganization(SeedRandom random)
    {
        var core = random.Pick(Regions) + random.Pick(Flourishes) + random.Pick(Themes);
        return random.Weighted([85, 8, 4, 3]) switch
        {
            0 => core + "事業協同組合",
            1 => "一般社団法人" + core + "協会",
            2 => "公益財団法人" + core + "機構",
            _ => core + "協同組合",
        };
    }

    public static string ImplementingOrganization(SeedRandom random, int industry)
    {
        var core = random.Pick(Stems) + random.Pick(TradeWords[industry]);
        if (industry == 3 && random.Chance(0.3)) return "農事組合法人" + core;
        if (industry == 5 && random.Chance(0.5)) return "社会福祉法人" + random.Pick(Stems) + "福祉会";
        return random.Weighted([45, 30, 17, 8]) switch
        {
            0 => "株式会社" + core,
            1 => core + "株式会社",
            2 => "有限会社" + core,
            _ => "合同会社" + core,
        };
    }

    private static readonly string[] SenderWords =
    [
        "Lotus", "Sunrise", "Golden Bridge", "Blue Ocean", "Green Valley", "Harmony", "Pacific", "Asia Link", "Horizon", "Unity",
        "Pioneer", "Summit", "Crystal", "Eastern Star", "Bright Future", "Phoenix", "Silver River", "Royal", "Evergreen", "New Dawn",
    ];

    private static readonly Dictionary<string, string[]> SenderPlaces = new(StringComparer.Ordinal)
    {
        ["VN"] = ["Hanoi", "Hai Phong", "Da Nang", "Saigon", "Nghe An", "Thanh Hoa", "Hue", "Can Tho"],
        ["CN"] = ["Shanghai", "Dalian", "Qingdao", "Jiangsu", "Shandong", "Fujian", "Liaoning"],
        ["ID"] = ["Jakarta", "Bandung", "Surabaya", "Semarang", "Bali", "Medan"],
        ["PH"] = ["Manila", "Cebu", "Davao", "Iloilo"],
        ["MM"] = ["Yangon", "Mandalay", "Bago"],
        ["KH"] = ["Phnom Penh", "Siem Reap"],
        ["TH"] = ["Bangkok", "Chiang Mai", "Khon Kaen"],
        ["MN"] = ["Ulaanbaatar", "Darkhan"],
        ["NP"] = ["Kathmandu", "Pokhara"],
        ["LK"] = ["Colombo", "Kandy"],
        ["UZ"] = ["Tashkent", "Samarkand"],
        ["BD"] = ["Dhaka", "Chittagong"],
        ["LA"] = ["Vientiane", "Luang Prabang"],
        ["IN"] = ["Delhi", "Chennai", "Kolkata"],
        ["PK"] = ["Lahore", "Karachi"],
        ["BT"] = ["Thimphu", "Paro"],
        ["KG"] = ["Bishkek", "Osh"],
    };

    private static readonly Dictionary<string, string> SenderSuffixes = new(StringComparer.Ordinal)
    {
        ["VN"] = "Human Resources JSC",
        ["CN"] = "International Economic and Technical Cooperation Co., Ltd.",
        ["ID"] = "Training Centre (LPK)",
        ["PH"] = "Manpower Services Inc.",
        ["MM"] = "Overseas Employment Agency Co., Ltd.",
    };

    public static string SendingOrganization(SeedRandom random, string country) =>
        $"{random.Pick(SenderPlaces[country])} {random.Pick(SenderWords)} {SenderSuffixes.GetValueOrDefault(country, "Overseas Employment Co., Ltd.")}";

    public static string FindingNarrative(FindingCategory category, SeedRandom random) => category switch
    {
        FindingCategory.RecordKeeping => random.Pick(["Attendance and wage ledgers for the period were incomplete.", "Training diaries were not kept for several months."]),
        FindingCategory.PlanDeviation => random.Pick(["Trainees were assigned to work outside the accredited occupation.", "Training hours required by the plan were not provided."]),
        FindingCategory.SafetyAndHealth => random.Pick(["Safety training before machine work was not provided.", "Required protective equipment was not supplied."]),
        FindingCategory.Dormitory => random.Pick(["Dormitory floor area per trainee was below the standard.", "Dormitory fees exceeded actual costs."]),
        FindingCategory.SupervisionDuties => random.Pick(["Quarterly audits of implementing organizations were not carried out.", "Monthly visits during the first-year plans were not made."]),
        FindingCategory.FalseReport => "Reports submitted to OTIT did not match the books inspected on site.",
        FindingCategory.ObstructedInspection => "Requested records were not produced during the inspection.",
        FindingCategory.IllegalOvertime => random.Pick(["Overtime exceeded the limit of the labour-management agreement.", "Overtime over 100 hours in a month was recorded."]),
        FindingCategory.UnpaidWages => random.Pick(["Overtime premiums were not paid in full.", "Wages were paid below the regional minimum wage."]),
        FindingCategory.ConfiscatedPassportOrResidenceCard => "Passports and residence cards were held by the organization.",
        FindingCategory.ViolenceOrThreats => "Interviews indicated threats of early return used to discourage complaints.",
        FindingCategory.ForcedSavingsOrDeposits => "Part of the monthly wage was withheld as a compulsory deposit.",
        FindingCategory.RestrictedMovement => "Dormitory rules restricted going out on days off.",
        _ => "A shortfall against the standards was observed.",
    };

    public static readonly string[] CorrectionSummaries =
    [
        "Ledgers were completed and a checklist introduced for monthly review.",
        "Arrears were paid and the wage calculation was corrected.",
        "Work assignments were brought back within the accredited occupation.",
        "Dormitory arrangements were changed to meet the standard.",
        "An internal audit schedule was adopted and the first audit carried out.",
    ];
}

/**
 * The word lists the demo generator draws from. Chinese entries carry their toneless pinyin
 * (`王wang`) so e-mail handles and company domains can be romanized without a pinyin library;
 * surnames carry their share of the population in thousandths of a percent (`王wang:7120` is
 * 7.12 %, after the 2020 census surname report), so common ones come up as often as in life.
 */

export interface Romanized {
  readonly text: string;
  readonly latin: string;
}

export interface WeightedRomanized extends Romanized {
  readonly weight: number;
}

const ENTRY = /^(\p{Script=Han}+)([a-z]+)(?::(\d+))?$/u;

function romanized(list: string): WeightedRomanized[] {
  return list
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const match = ENTRY.exec(entry);
      if (!match) throw new Error(`Malformed demo table entry: ${entry}`);
      return { text: match[1]!, latin: match[2]!, weight: Number(match[3] ?? 1) };
    });
}

const words = (list: string): string[] => list.trim().split(/\s*\|\s*|\s*\n\s*/).filter((word) => word !== '');

/** 100 single-character surnames by frequency, then 12 compound ones (复姓). */
export const CHINESE_SURNAMES: readonly WeightedRomanized[] = romanized(`
  王wang:7120 李li:7000 张zhang:6740 刘liu:5100 陈chen:4610 杨yang:3220 黄huang:2450 赵zhao:2290 吴wu:2050 周zhou:1990
  徐xu:1450 孙sun:1380 马ma:1290 朱zhu:1260 胡hu:1150 郭guo:1130 何he:1060 林lin:1030 高gao:1000 罗luo:860
  郑zheng:840 梁liang:800 谢xie:720 宋song:640 唐tang:630 许xu:610 韩han:590 邓deng:580 冯feng:580 曹cao:550
  彭peng:540 曾zeng:520 肖xiao:510 田tian:500 董dong:490 潘pan:480 袁yuan:470 蔡cai:450 蒋jiang:450 余yu:440
  于yu:430 杜du:420 叶ye:420 程cheng:410 魏wei:400 苏su:390 吕lv:380 丁ding:370 任ren:360 卢lu:350
  姚yao:350 沈shen:340 钟zhong:340 姜jiang:330 崔cui:320 谭tan:310 陆lu:300 范fan:300 汪wang:290 廖liao:290
  石shi:280 金jin:270 韦wei:270 贾jia:260 夏xia:250 付fu:250 方fang:240 邹zou:230 熊xiong:230 白bai:220
  孟meng:220 秦qin:210 邱qiu:210 侯hou:200 江jiang:200 尹yin:190 薛xue:190 闫yan:180 段duan:180 雷lei:170
  龙long:170 黎li:160 史shi:160 陶tao:160 贺he:150 毛mao:150 郝hao:150 顾gu:140 龚gong:140 邵shao:140
  万wan:130 覃qin:130 武wu:130 钱qian:130 戴dai:120 严yan:120 莫mo:120 孔kong:110 向xiang:110 常chang:110
  欧阳ouyang:40 司马sima:10 诸葛zhuge:6 上官shangguan:5 司徒situ:6 东方dongfang:3 皇甫huangfu:3 慕容murong:2
  令狐linghu:1 夏侯xiahou:2 端木duanmu:1 公孙gongsun:1
`);

/** Given-name characters, in three pools so a name fits the sex drawn for it. */
export const CHINESE_GIVEN_MALE: readonly Romanized[] = romanized(`
  伟wei 强qiang 磊lei 军jun 勇yong 杰jie 涛tao 斌bin 超chao 明ming 刚gang 平ping 辉hui 鹏peng 飞fei 鑫xin
  波bo 宇yu 浩hao 凯kai 健jian 俊jun 帆fan 帅shuai 旭xu 龙long 峰feng 建jian 国guo 志zhi 博bo 阳yang
  亮liang 成cheng 东dong 海hai 翔xiang 昊hao 轩xuan 睿rui 泽ze 豪hao 铭ming 宏hong 毅yi 锋feng 坤kun 兵bing
  彬bin 庆qing 松song 哲zhe 航hang 川chuan 力li 栋dong 恒heng 瑞rui 岩yan 鸿hong 振zhen 伦lun 威wei 腾teng
`);

export const CHINESE_GIVEN_FEMALE: readonly Romanized[] = romanized(`
  芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 霞xia 秀xiu 英ying 燕yan 玲ling 桂gui 丹dan 萍ping 红hong
  玉yu 兰lan 梅mei 莉li 倩qian 婷ting 雪xue 琳lin 慧hui 颖ying 洁jie 晶jing 琴qin 璐lu 露lu 雯wen
  佳jia 欣xin 怡yi 悦yue 诗shi 涵han 梦meng 瑶yao 馨xin 萱xuan 琪qi 蕾lei 薇wei 彤tong 菲fei 妍yan
  婉wan 莹ying 茜qian 蓉rong 淑shu 珍zhen 凤feng 美mei 可ke 思si 雨yu 媛yuan 嫣yan 岚lan 黛dai 韵yun
`);

export const CHINESE_GIVEN_NEUTRAL: readonly Romanized[] = romanized(`
  晓xiao 小xiao 一yi 新xin 春chun 秋qiu 天tian 安an 乐le 永yong 家jia 心xin 嘉jia 清qing 宁ning 若ruo
  言yan 书shu 语yu 景jing 立li 雅ya 金jin 光guang 和he 德de 冬dong 晴qing 文wen 华hua 林lin 子zi
  晨chen 然ran 云yun 月yue 逸yi 星xing
`);

/**
 * Six-digit administrative division codes (GB/T 2260) as they appear on identity cards, with
 * the district they name. Codes of districts since merged (330102) stay valid on old cards.
 */
export const CHINESE_REGION_CODES: readonly { code: string; name: string }[] = [
  ['110101', '北京市东城区'], ['110102', '北京市西城区'], ['110105', '北京市朝阳区'], ['110108', '北京市海淀区'],
  ['120101', '天津市和平区'], ['130102', '河北省石家庄市长安区'], ['140105', '山西省太原市小店区'],
  ['210102', '辽宁省沈阳市和平区'], ['220102', '吉林省长春市南关区'], ['230102', '黑龙江省哈尔滨市道里区'],
  ['310101', '上海市黄浦区'], ['310104', '上海市徐汇区'], ['310115', '上海市浦东新区'],
  ['320102', '江苏省南京市玄武区'], ['320505', '江苏省苏州市虎丘区'], ['330102', '浙江省杭州市上城区'], ['330106', '浙江省杭州市西湖区'],
  ['340102', '安徽省合肥市瑶海区'], ['350102', '福建省福州市鼓楼区'], ['350203', '福建省厦门市思明区'], ['360102', '江西省南昌市东湖区'],
  ['370102', '山东省济南市历下区'], ['370202', '山东省青岛市市南区'], ['410105', '河南省郑州市金水区'], ['420106', '湖北省武汉市武昌区'],
  ['430104', '湖南省长沙市岳麓区'], ['440103', '广东省广州市荔湾区'], ['440106', '广东省广州市天河区'], ['440304', '广东省深圳市福田区'],
  ['440305', '广东省深圳市南山区'], ['450103', '广西壮族自治区南宁市青秀区'], ['460105', '海南省海口市秀英区'], ['500103', '重庆市渝中区'],
  ['510104', '四川省成都市锦江区'], ['510107', '四川省成都市武侯区'], ['520102', '贵州省贵阳市南明区'], ['530102', '云南省昆明市五华区'],
  ['610113', '陕西省西安市雁塔区'], ['620102', '甘肃省兰州市城关区'], ['650102', '新疆维吾尔自治区乌鲁木齐市天山区'],
].map(([code, name]) => ({ code: code!, name: name! }));

/** Cities with districts and roads that exist there, for `北京市朝阳区建国路88号`-style addresses. */
export const CHINESE_CITIES: readonly { city: string; districts: readonly string[] }[] = [
  { city: '北京市', districts: ['东城区', '西城区', '朝阳区', '海淀区', '丰台区', '通州区'] },
  { city: '上海市', districts: ['黄浦区', '徐汇区', '静安区', '浦东新区', '长宁区', '闵行区'] },
  { city: '天津市', districts: ['和平区', '河西区', '南开区'] },
  { city: '重庆市', districts: ['渝中区', '江北区', '渝北区'] },
  { city: '广东省广州市', districts: ['天河区', '越秀区', '海珠区', '番禺区'] },
  { city: '广东省深圳市', districts: ['南山区', '福田区', '罗湖区', '宝安区', '龙岗区'] },
  { city: '广东省东莞市', districts: ['南城街道', '东城街道'] },
  { city: '浙江省杭州市', districts: ['西湖区', '上城区', '滨江区', '余杭区'] },
  { city: '浙江省宁波市', districts: ['海曙区', '鄞州区'] },
  { city: '江苏省南京市', districts: ['玄武区', '鼓楼区', '建邺区'] },
  { city: '江苏省苏州市', districts: ['姑苏区', '工业园区', '吴中区'] },
  { city: '四川省成都市', districts: ['锦江区', '武侯区', '高新区', '青羊区'] },
  { city: '湖北省武汉市', districts: ['武昌区', '江汉区', '洪山区'] },
  { city: '湖南省长沙市', districts: ['岳麓区', '芙蓉区', '天心区'] },
  { city: '陕西省西安市', districts: ['雁塔区', '碑林区', '未央区'] },
  { city: '山东省青岛市', districts: ['市南区', '崂山区'] },
  { city: '山东省济南市', districts: ['历下区', '市中区'] },
  { city: '福建省厦门市', districts: ['思明区', '湖里区'] },
  { city: '河南省郑州市', districts: ['金水区', '二七区'] },
  { city: '安徽省合肥市', districts: ['蜀山区', '包河区'] },
];

export const CHINESE_ROADS: readonly string[] = words(`
  建国路 | 人民路 | 中山路 | 解放路 | 长安街 | 南京路 | 淮海中路 | 深南大道 | 科技园路 | 天府大道
  东风路 | 和平路 | 新华路 | 文化路 | 光明路 | 复兴路 | 延安路 | 黄河路 | 长江路 | 滨江大道
  学院路 | 朝阳北路 | 世纪大道 | 中关村大街 | 迎宾大道 | 友谊路 | 青年路 | 北京路 | 胜利路 | 湖滨路
`);

export const CHINESE_COMPOUNDS: readonly string[] = words(`
  阳光花园 | 碧水湾 | 翠苑 | 锦绣家园 | 万科城 | 金色家园 | 幸福里 | 绿地公馆 | 华府 | 名都苑
`);

/** City names companies register under (`深圳市…有限公司`), with the pinyin initials domains use. */
export const COMPANY_CITIES: readonly Romanized[] = romanized(`
  北京bj 上海sh 深圳sz 广州gz 杭州hz 成都cd 武汉wh 南京nj 苏州suz 西安xa 重庆cq 天津tj 长沙cs 青岛qd
  厦门xm 合肥hf 郑州zz 东莞dg 宁波nb 无锡wx 佛山fs 济南jn 大连dl 福州fz 昆明km 珠海zh 温州wz 沈阳sy
`);

/** Characters trade names (字号) are made of. */
export const TRADE_NAME_CHARACTERS: readonly Romanized[] = romanized(`
  华hua 信xin 腾teng 云yun 达da 鑫xin 恒heng 瑞rui 泰tai 创chuang 盛sheng 源yuan 宏hong 智zhi 联lian 通tong
  锐rui 博bo 远yuan 天tian 星xing 辰chen 新xin 锦jin 隆long 和he 嘉jia 德de 安an 邦bang 海hai 中zhong
  金jin 明ming 光guang 晨chen 融rong 启qi 航hang 睿rui 弘hong 汇hui 诚cheng 永yong 百bai 方fang 富fu 正zheng
  越yue 凯kai 思si 维wei 宇yu 飞fei 翔xiang 迅xun 优you 美mei 佳jia 康kang
`);

/** [name word, industry, domain word]: the industry matches what the name says the company does. */
export const CHINESE_INDUSTRIES: readonly (readonly [string, string, string])[] = [
  ['科技', '信息技术', 'tech'],
  ['网络科技', '互联网', 'net'],
  ['信息技术', '软件和信息技术服务业', 'it'],
  ['软件', '软件和信息技术服务业', 'soft'],
  ['电子商务', '电子商务', 'ec'],
  ['贸易', '批发和零售业', 'trade'],
  ['物流', '交通运输、仓储和邮政业', 'logistics'],
  ['供应链管理', '交通运输、仓储和邮政业', 'scm'],
  ['实业', '制造业', ''],
  ['电子', '计算机、通信和其他电子设备制造业', 'elec'],
  ['精密机械', '通用设备制造业', 'machinery'],
  ['生物医药', '医药制造业', 'bio'],
  ['医疗器械', '专用设备制造业', 'medical'],
  ['建筑工程', '建筑业', 'build'],
  ['文化传媒', '文化、体育和娱乐业', 'media'],
  ['餐饮管理', '住宿和餐饮业', 'food'],
  ['教育咨询', '教育', 'edu'],
  ['投资管理', '金融业', 'capital'],
  ['房地产开发', '房地产业', 'estate'],
  ['新能源', '电力、热力、燃气及水生产和供应业', 'energy'],
  ['汽车服务', '汽车制造业', 'auto'],
  ['食品', '食品制造业', 'foods'],
  ['服饰', '纺织服装、服饰业', 'fashion'],
  ['环保科技', '生态保护和环境治理业', 'eco'],
  ['企业管理咨询', '租赁和商务服务业', 'consulting'],
];

export const CHINESE_COMPANY_FORMS: readonly string[] = ['有限公司', '有限公司', '有限公司', '股份有限公司', '集团有限公司', '有限责任公司'];

export const ENGLISH_COMPANY_WORDS: readonly string[] = words(`
  Northwind | Bluewater | Summit | Apex | Evergreen | Silverline | Brightpath | Redwood | Ironbridge | Greenfield
  Lakeside | Harbor | Pinnacle | Keystone | Crescent | Meridian | Horizon | Atlas | Orion | Vertex
  Nimbus | Cobalt | Sterling | Oakridge | Riverstone | Granite | Falcon | Beacon | Clearwater | Highland
  Maple | Cedar | Willow | Aurora | Polaris | Quantum | Vanguard | Trident | Sapphire | Emerald
  Westbrook | Eastgate | Northstar | Southbank | Bluebird | Stonebridge | Copperfield | Ashford | Kingsway | Lighthouse
  Tidewater | Foxglove | Juniper | Larkspur | Marigold | Silverbirch | Driftwood | Windmill | Hollow Oak | Red Lantern
`);

/** [name word, industry, domain word]. */
export const ENGLISH_INDUSTRIES: readonly (readonly [string, string, string])[] = [
  ['Logistics', 'Logistics', 'logistics'],
  ['Technologies', 'Technology', 'tech'],
  ['Software', 'Software', 'software'],
  ['Consulting', 'Professional Services', 'consulting'],
  ['Capital', 'Financial Services', 'capital'],
  ['Foods', 'Food & Beverage', 'foods'],
  ['Health', 'Healthcare', 'health'],
  ['Pharma', 'Pharmaceuticals', 'pharma'],
  ['Energy', 'Energy', 'energy'],
  ['Motors', 'Automotive', 'motors'],
  ['Media', 'Media & Entertainment', 'media'],
  ['Systems', 'Technology', 'systems'],
  ['Analytics', 'Software', 'analytics'],
  ['Partners', 'Professional Services', 'partners'],
  ['Retail', 'Retail', 'retail'],
  ['Manufacturing', 'Manufacturing', 'mfg'],
  ['Biotech', 'Biotechnology', 'bio'],
  ['Robotics', 'Industrial Automation', 'robotics'],
  ['Construction', 'Construction', 'build'],
  ['Realty', 'Real Estate', 'realty'],
  ['Trading', 'Wholesale Trade', 'trading'],
  ['Labs', 'Research & Development', 'labs'],
  ['Apparel', 'Apparel & Fashion', 'apparel'],
  ['Travel', 'Travel & Hospitality', 'travel'],
  ['Learning', 'Education', 'learning'],
];

/** [legal-form suffix, top-level domain] pairs that belong together. */
export const ENGLISH_COMPANY_FORMS: readonly (readonly [string, string])[] = [
  ['Ltd', 'co.uk'], ['Limited', 'co.uk'], ['plc', 'co.uk'], ['Inc.', 'com'], ['LLC', 'com'], ['Corp.', 'com'], ['Co.', 'com'],
  ['GmbH', 'de'], ['AG', 'de'], ['Pte. Ltd.', 'com.sg'], ['Limited', 'com.hk'], ['K.K.', 'co.jp'], ['Inc.', 'io'], ['Ltd', 'net'],
];

export const ENGLISH_FIRST_NAMES_MALE: readonly string[] = words(`
  James | John | Robert | Michael | William | David | Richard | Joseph | Thomas | Daniel
  Matthew | Andrew | Christopher | Benjamin | Samuel | Oliver | Jack | Harry | George | Noah
  Liam | Lucas | Ethan | Alexander | Sebastian | Mateo | Diego | Carlos | José | Luis
  Antoine | Louis | Hugo | Pierre | Lukas | Jonas | Felix | Maximilian | Matteo | Luca
  Giovanni | Marco | Ivan | Dmitri | Arjun | Rahul | Vikram | Aditya | Mohammed | Omar
  Ahmed | Yusuf | Kenji | Hiroshi | Haruto | Min-jun | Kwame | Chinedu | Tunde | Sipho
  Lars | Erik | Nils | Sean | Patrick | Connor | Aidan | Rafael | Tomás | Søren
`);

export const ENGLISH_FIRST_NAMES_FEMALE: readonly string[] = words(`
  Mary | Patricia | Jennifer | Linda | Elizabeth | Susan | Jessica | Sarah | Karen | Emily
  Emma | Olivia | Ava | Sophia | Isabella | Charlotte | Amelia | Mia | Harper | Grace
  Chloe | Lily | Hannah | Zoe | Lucía | María | Sofía | Valentina | Camila | Isabel
  Camille | Léa | Manon | Anna | Lena | Sophie | Giulia | Francesca | Chiara | Olga
  Natalia | Anastasia | Priya | Ananya | Aisha | Fatima | Layla | Noor | Yuki | Sakura
  Aiko | Seo-yeon | Ji-woo | Amara | Zanele | Ngozi | Ingrid | Astrid | Freya | Siobhan
  Niamh | Aoife | Beatriz | Mariana | Elif | Zeynep | Maja | Katarzyna | Eva | Nadia
`);

export const ENGLISH_LAST_NAMES: readonly string[] = words(`
  Smith | Johnson | Williams | Brown | Jones | Miller | Davis | Wilson | Anderson | Taylor
  Thomas | Moore | Jackson | Martin | Lee | Thompson | White | Harris | Clark | Lewis
  Robinson | Walker | Young | Allen | King | Wright | Scott | Hill | Green | Adams
  Baker | Nelson | Carter | Mitchell | Roberts | Turner | Phillips | Campbell | Parker | Evans
  Edwards | Collins | Stewart | Morris | Murphy | Cook | Rogers | Morgan | Cooper | Reed
  Bailey | Bell | Kelly | Howard | Ward | Brooks | Bennett | Gray | Hughes | Price
  Patel | Shah | Singh | Kumar | Gupta | Sharma | Garcia | Rodriguez | Martinez | Hernandez
  Lopez | Gonzalez | Pérez | Sánchez | Ramírez | Torres | Flores | Dubois | Lefèvre | Moreau
  Laurent | Bernard | Müller | Schmidt | Schneider | Fischer | Weber | Wagner | Becker | Hoffmann
  Rossi | Russo | Ferrari | Esposito | Bianchi | Ivanov | Petrov | Smirnov | Kowalski | Nowak
  Jensen | Nielsen | Hansen | Andersson | Johansson | Larsen | O'Brien | O'Connor | Tanaka | Suzuki
  Sato | Takahashi | Watanabe | Yamamoto | Kim | Park | Choi | Nguyen | Tran | Okafor
  Mensah | Adeyemi | Dlamini | Haddad | Khan | Hassan | Cohen | Levi | Silva | Santos
  Oliveira | Costa | Tan | Lim | Wong | Chan | Ng | Yilmaz | Demir | Novak
`);

export const EMAIL_WORDS: readonly string[] = words(`
  sunny | happy | tiger | panda | lucky | star | moon | cloud | river | rain | snow | leo | coco | momo
  dragon | phoenix | angel | smile | ocean | forest | maple | summer | winter | autumn
`);

/** Free mail providers Chinese users actually use, repeated by rough popularity. */
export const CHINESE_MAIL_DOMAINS: readonly string[] = words(`
  qq.com | qq.com | qq.com | 163.com | 163.com | 126.com | sina.com | sohu.com | foxmail.com | aliyun.com
  139.com | yeah.net | gmail.com | outlook.com | hotmail.com
`);

export const INTERNATIONAL_MAIL_DOMAINS: readonly string[] = words(`
  gmail.com | gmail.com | gmail.com | outlook.com | outlook.com | hotmail.com | yahoo.com | icloud.com | proton.me | live.com
  gmx.de | web.de | yahoo.co.jp | btinternet.com | singnet.com.sg | netvigator.com
`);

/** Workplace domains for people who give their work address. */
export const WORK_MAIL_DOMAINS: readonly string[] = words(`
  northwind-logistics.com | bluewatertech.io | summitcapital.co.uk | evergreenfoods.com | tengyuntech.cn | huaxin.com.cn
  ruitaibio.com | hengdalogistics.cn | xingchenmedia.com | apexrobotics.de | meridianhealth.com.sg | harbortrading.com.hk
  example.com | example.org | example.net
`);

export const US_STREETS: readonly string[] = words(`
  Main | Oak | Maple | Cedar | Pine | Elm | Washington | Lake | Hill | Park | Sunset | Madison | Lincoln | Broadway | Market
`);
export const US_STREET_TYPES: readonly string[] = ['Street', 'Avenue', 'Road', 'Boulevard', 'Lane', 'Drive', 'St', 'Ave'];
export const US_CITIES: readonly (readonly [string, string, string])[] = [
  ['New York', 'NY', '100'], ['San Francisco', 'CA', '941'], ['Boston', 'MA', '021'], ['Chicago', 'IL', '606'],
  ['Seattle', 'WA', '981'], ['Austin', 'TX', '787'], ['Denver', 'CO', '802'], ['Atlanta', 'GA', '303'], ['Los Angeles', 'CA', '900'],
];
export const UK_STREETS: readonly string[] = words(`
  Baker Street | High Street | Church Lane | Victoria Road | King's Road | Station Road | Queen's Gardens | Mill Lane | Park Avenue
`);
export const UK_TOWNS: readonly (readonly [string, string])[] = [
  ['London', 'SW1A'], ['London', 'NW1'], ['London', 'EC2A'], ['Manchester', 'M1'], ['Bristol', 'BS1'], ['Edinburgh', 'EH1'], ['Leeds', 'LS1'],
];
export const DE_STREETS: readonly string[] = words(`
  Hauptstraße | Friedrichstraße | Schillerstraße | Goethestraße | Bahnhofstraße | Lindenallee | Gartenweg | Bergstraße
`);
export const DE_CITIES: readonly (readonly [string, string])[] = [
  ['Berlin', '10'], ['München', '80'], ['Hamburg', '20'], ['Köln', '50'], ['Frankfurt am Main', '60'], ['Stuttgart', '70'],
];
export const JP_AREAS: readonly (readonly [string, string, string])[] = [
  ['Shibuya', 'Shibuya-ku', '150'], ['Shinjuku', 'Shinjuku-ku', '160'], ['Marunouchi', 'Chiyoda-ku', '100'],
  ['Roppongi', 'Minato-ku', '106'], ['Ginza', 'Chuo-ku', '104'], ['Ebisu', 'Shibuya-ku', '150'],
];
export const SG_STREETS: readonly string[] = words(`
  Anson Road | Orchard Road | Raffles Place | Tampines Avenue 5 | Jurong West Street 41 | Bukit Timah Road | Ang Mo Kio Avenue 3
`);
export const HK_STREETS: readonly (readonly [string, string])[] = [
  ["Queen's Road Central", 'Central'], ['Nathan Road', 'Tsim Sha Tsui'], ['Hennessy Road', 'Wan Chai'],
  ['King’s Road', 'North Point'], ['Des Voeux Road Central', 'Central'], ['Castle Peak Road', 'Tsuen Wan'],
];

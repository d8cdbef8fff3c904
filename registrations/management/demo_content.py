"""The Incheon Tech Week delegation's real programme, in English, Simplified Chinese and Korean.

Data only; ``seed_demo`` writes it. English is the plain field, ``_zh_hans`` and ``_ko`` the translations.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

SEOUL = ZoneInfo("Asia/Seoul")
SLUG = "incheon-tech-week"


def trip_start(today: date | None = None) -> date:
    """The demo trip starts about four months after the day the demo is seeded (Korea time): a Tuesday."""
    day = (today or timezone.localdate(timezone.now(), SEOUL)) + timedelta(days=120)
    return day + timedelta(days=(1 - day.weekday()) % 7)


# Computed when seed_demo runs (a short-lived command); an existing delegation keeps its dates.
TRIP_START = trip_start()

DELEGATION = {
    "title": "AsianFin Global Business Leaders Club: Delegation to Incheon Tech Week",
    "title_zh_hans": "AsianFin全球商业领袖俱乐部：仁川科技周企业家代表团",
    "title_ko": "AsianFin 글로벌 비즈니스 리더스 클럽: 인천 테크위크 대표단",
    "organizer": "AsianFin Global Business Leaders Club · TMTPost · American AsianFin",
    "organizer_zh_hans": "AsianFin全球商业领袖俱乐部 · 钛媒体 · 美国AsianFin",
    "organizer_ko": "AsianFin 글로벌 비즈니스 리더스 클럽 · 티엠티포스트(TMTPost) · 아메리칸 AsianFin",
    "city": "Incheon, South Korea",
    "city_zh_hans": "韩国仁川",
    "city_ko": "대한민국 인천",
    "starts_on": TRIP_START,
    "ends_on": TRIP_START + timedelta(days=3),
    "summary": (
        "Executives of China's star companies in biotechnology, automotive and autonomous driving, "
        "clean energy and smart logistics meet their Korean counterparts, policymakers and industry "
        "leaders at Incheon Tech Week."
    ),
    "summary_zh_hans": (
        "生物技术、汽车与自动驾驶、清洁能源和智慧物流四大领域的中国明星企业高管，在仁川科技周与韩国同行企业、政策制定者和产业领袖面对面交流。"
    ),
    "summary_ko": (
        "바이오테크놀로지, 자동차·자율주행, 청정에너지, 스마트 물류 분야 중국 스타 기업의 경영진이 "
        "인천 테크위크에서 한국의 동종 기업, 정책 입안자, 산업 리더들과 만납니다."
    ),
    "story": (
        "The AsianFin Global Business Leaders Club, jointly initiated by TMTPost and the American AsianFin, "
        "leads a delegation of executives from Chinese companies in four fields to Incheon Tech Week in South Korea. "
        "Participants join the key activities of Tech Week and exchange with dozens of Korean policymakers and "
        "leaders of key industries.\n\n"
        "The delegation visits Incheon Yeongjong Logistics Industrial Park, Songdo Bio Industrial Park and the Seoul "
        "Pharmaceutical Base, and meets Samsung Biologics, CJ Logistics (CJ Group, Korea's largest logistics company) "
        "and Hyundai Group, as well as global companies established in Korea: Songdo hosts Merck, Sartorius, Cytiva "
        "and Thermo Fisher Scientific beside Samsung Biologics, Lotte Biologics, Celltrion and SK Biopharmaceuticals.\n\n"
        "Incheon's biopharmaceutical capacity is 1.16 million litres, the largest of any single city, and the Songdo "
        "bio cluster has 11 industrial parks. In 2023, 98,560 tonnes of sea-air intermodal cargo arrived at Incheon "
        "Airport by sea and flew on to third countries (+43.1% on 2022), 99.6% of it from China "
        "(Weihai → Incheon/Pyeongtaek/Gunsan → Incheon Airport → North America and Europe).\n\n"
        "The Incheon Future Industry Map plans four belts: Bio-Semiconductor-Materials/Parts/Equipment (Songdo, "
        "Namdong, Yeongjong); Robotics-Mobility-Advanced Medical (Cheongna); Eco-Friendly Future Energy (Geomdan, "
        "Yonghyeong); ICT Convergence (Juan, Bupyeong, Gyeyang), with 73 trillion KRW of market value expected by 2050.\n\n"
        "There are limited seats available for this delegation. Interested company executives are welcome to register."
    ),
    "story_zh_hans": (
        "AsianFin全球商业领袖俱乐部由钛媒体与美国AsianFin联合发起，将率领生物技术、汽车与自动驾驶、清洁能源、"
        "智慧物流四大领域的中国企业高管，赴韩国参加仁川科技周。参访者将参与科技周重点活动，"
        "与数十位韩国政策制定者和重点产业领袖深入交流。\n\n"
        "代表团将参访仁川永宗物流产业园区、松岛生物产业园区和首尔制药基地，拜访三星生物制剂、"
        "CJ大韩通运（韩国最大物流企业，隶属CJ集团）和现代集团，并走访在韩国落地的全球企业："
        "松岛汇聚了默克、赛多利斯、思拓凡、赛默飞世尔科技，以及三星生物制剂、乐天生物制剂、赛尔群和SK生物制药。\n\n"
        "仁川的生物医药产能达116万升，为全球单一城市之最；松岛生物产业集群拥有11个产业园区。"
        "2023年，经海运抵达仁川机场并转运第三国的海空联运货物达98,560吨（较2022年增长43.1%），"
        "其中99.6%来自中国（威海 → 仁川/平泽/群山 → 仁川机场 → 北美和欧洲）。\n\n"
        "《仁川未来产业地图》规划了四大产业带：生物-半导体-材料/零部件/装备（松岛、南洞、永宗）；"
        "机器人-移动出行-尖端医疗（青罗）；环保未来能源（黔丹、龙岘）；ICT融合（朱安、富平、桂阳），"
        "预计到2050年创造73万亿韩元的市场价值。\n\n"
        "本次代表团名额有限，欢迎有意向的企业高管扫码报名。"
    ),
    "story_ko": (
        "TMTPost와 아메리칸 AsianFin이 공동으로 설립한 AsianFin 글로벌 비즈니스 리더스 클럽은 4개 분야 "
        "중국 기업 경영진으로 구성된 대표단을 이끌고 대한민국 인천 테크위크에 참가합니다. 참가자들은 "
        "테크위크의 주요 행사에 참여하고 수십 명의 한국 정책 입안자 및 핵심 산업 리더들과 교류합니다.\n\n"
        "대표단은 인천 영종 물류산업단지, 송도 바이오산업단지, 서울 제약 기지를 방문하고 삼성바이오로직스, "
        "CJ대한통운(한국 최대 물류기업, CJ그룹), 현대그룹과 만나며, 한국에 진출한 글로벌 기업도 찾아갑니다. "
        "송도에는 삼성바이오로직스, 롯데바이오로직스, 셀트리온, SK바이오팜과 함께 머크, 사토리우스, "
        "싸이티바, 써모피셔사이언티픽이 자리하고 있습니다.\n\n"
        "인천의 바이오의약품 생산능력은 116만 리터로 단일 도시 기준 세계 최대이며, 송도 바이오 클러스터에는 "
        "11개의 산업단지가 있습니다. 2023년에는 해상으로 인천공항에 도착해 제3국으로 운송된 해상-항공 "
        "복합운송 화물이 98,560톤(2022년 대비 43.1% 증가)에 달했으며, 그중 99.6%가 중국발이었습니다"
        "(웨이하이 → 인천/평택/군산 → 인천공항 → 북미·유럽).\n\n"
        "'인천 미래산업 지도'는 네 개의 벨트를 계획합니다: 바이오·반도체·소재/부품/장비(송도, 남동, 영종), "
        "로봇·모빌리티·첨단의료(청라), 친환경 미래에너지(검단, 용현), ICT 융합(주안, 부평, 계양). "
        "2050년까지 73조 원의 시장가치가 기대됩니다.\n\n"
        "이번 대표단은 좌석이 한정되어 있습니다. 관심 있는 기업 경영진의 등록을 환영합니다."
    ),
    # The visa invitation letter (an example: the organizer puts in the real inviting organization and signatory).
    "letter_letterhead": "AsianFin Global Business Leaders Club\nIncheon Tech Week delegation office",
    "letter_letterhead_ko": "AsianFin 글로벌 비즈니스 리더스 클럽\n인천 테크위크 대표단 사무국",
    "letter_address": "Songdo Convensia, 123 Central-ro, Yeonsu-gu, Incheon, Republic of Korea",
    "letter_address_ko": "인천광역시 연수구 센트럴로 123 송도컨벤시아",
    "letter_signatory_name": "Kim Jiwon",
    "letter_signatory_name_ko": "김지원",
    "letter_signatory_title": "Head of the delegation office",
    "letter_signatory_title_ko": "대표단 사무국장",
    "letter_purpose": (
        "to attend the key activities of Incheon Tech Week, visit Songdo Bio Industrial Park and Incheon Yeongjong "
        "Logistics Industrial Park, and meet Korean companies in biotechnology, mobility, clean energy and logistics"
    ),
    "letter_purpose_ko": "인천 테크위크 주요 행사 참가, 송도 바이오산업단지 및 영종 물류산업단지 방문, 바이오·모빌리티·청정에너지·물류 분야 한국 기업과의 교류",
    "includes": (
        "The four-day programme: Incheon Tech Week sessions, site visits and business meetings\n"
        "Hotel in Songdo, 4 nights (twin rooms; single rooms on request)\n"
        "Coach transfers from Incheon Airport and between all visits\n"
        "Lunches and the welcome dinner\n"
        "Interpreting (Chinese–Korean) at every meeting\n"
        "A business-visa invitation letter for confirmed delegates"
    ),
    "includes_zh_hans": (
        "四天行程：仁川科技周活动、实地参访和商务会谈\n"
        "松岛酒店4晚（双人间；可申请单人间）\n"
        "仁川机场接送及各参访点之间的大巴交通\n"
        "午餐和欢迎晚宴\n"
        "每场会谈均配有中韩翻译\n"
        "为确认名额的代表提供商务签证邀请函"
    ),
    "includes_ko": (
        "4일 일정: 인천 테크위크 행사, 현장 방문, 비즈니스 미팅\n"
        "송도 호텔 4박(2인실, 요청 시 1인실)\n"
        "인천공항 픽업 및 모든 방문지 간 전용 버스\n"
        "점심 식사와 환영 만찬\n"
        "모든 미팅에 중국어–한국어 통역\n"
        "확정된 대표단원에게 상용 비자 초청장 발급"
    ),
    "costs": (
        "Participation fee: 9,800 CNY per person (programme, hotel, transfers, meals listed above).\n"
        "Single-room supplement: 2,400 CNY. International flights and the visa fee are paid by each participant.\n"
        "The organizers send the invoice after your seat is confirmed; payment within 14 days keeps the seat."
    ),
    "costs_zh_hans": (
        "参团费：每人9,800元人民币（含上述行程、酒店、交通和餐饮）。\n"
        "单人间补差：2,400元人民币。国际机票和签证费由参访者自理。\n"
        "名额确认后主办方将发送付款通知，14天内付款即保留名额。"
    ),
    "costs_ko": (
        "참가비: 1인당 9,800위안(위 일정, 호텔, 교통, 식사 포함).\n"
        "1인실 추가 요금: 2,400위안. 국제선 항공권과 비자 수수료는 참가자 부담입니다.\n"
        "자리가 확정되면 주최 측이 청구서를 보내며, 14일 이내에 결제하면 자리가 유지됩니다."
    ),
    "contact_email": "delegation@asianfin.example",
    "contact_wechat_id": "AsianFin_Delegation",
    # The privacy notice is left empty on purpose: the site's own notice says what it really does
    # (consent, retention days, travel documents and who receives them).
    "seats": 30,
    "email_confirmation_hours": 24,  # first come: a seat is held until the e-mail address is confirmed
    # Two weeks before the trip, at the end of the day (Korea time).
    "registration_closes_at": datetime.combine(TRIP_START - timedelta(days=14), time(23, 59), tzinfo=SEOUL),
    "is_published": True,
}

SECTORS = [
    {"name": "Biotechnology", "name_zh_hans": "生物技术", "name_ko": "바이오테크놀로지"},
    {"name": "Automotive and autonomous driving", "name_zh_hans": "汽车与自动驾驶", "name_ko": "자동차·자율주행"},
    {"name": "Clean energy", "name_zh_hans": "清洁能源", "name_ko": "청정에너지"},
    {"name": "Smart logistics", "name_zh_hans": "智慧物流", "name_ko": "스마트 물류"},
]


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` Korea time on day ``day`` of the trip (0: the first day)."""
    return datetime.combine(TRIP_START + timedelta(days=day), time(hour, minute), tzinfo=SEOUL)


ITINERARY = [
    {
        "order": 1,
        "starts_at": _at(0, 9, 30),
        "ends_at": _at(0, 12, 30),
        "title": "Incheon Tech Week opening and policy exchange",
        "title_zh_hans": "仁川科技周开幕式与政策交流",
        "title_ko": "인천 테크위크 개막식 및 정책 교류",
        "hosts": "Incheon Metropolitan City · Korean policymakers and industry leaders",
        "hosts_zh_hans": "仁川广域市 · 韩国政策制定者与产业领袖",
        "hosts_ko": "인천광역시 · 한국 정책 입안자 및 산업 리더",
        "location": "Songdo Convensia, 123 Central-ro, Yeonsu-gu, Incheon",
        "location_zh_hans": "仁川延寿区中央路123号 松岛会展中心（Songdo Convensia）",
        "location_ko": "인천 연수구 센트럴로 123 송도컨벤시아",
        "description": "Opening ceremony of Incheon Tech Week, then a round table with dozens of Korean policymakers "
        "and leaders of key industries on the Incheon Future Industry Map.",
        "description_zh_hans": "仁川科技周开幕式，随后与数十位韩国政策制定者和重点产业领袖围绕《仁川未来产业地图》举行圆桌会议。",
        "description_ko": "인천 테크위크 개막식에 이어 수십 명의 한국 정책 입안자 및 핵심 산업 리더들과 "
        "'인천 미래산업 지도'를 주제로 라운드테이블을 진행합니다.",
    },
    {
        "order": 2,
        "starts_at": _at(0, 14, 0),
        "ends_at": _at(0, 17, 30),
        "is_optional": True,
        "capacity": 20,
        "title": "Songdo Bio Industrial Park and Samsung Biologics",
        "title_zh_hans": "松岛生物产业园区与三星生物制剂",
        "title_ko": "송도 바이오산업단지 및 삼성바이오로직스",
        "hosts": "Samsung Biologics · Songdo bio cluster",
        "hosts_zh_hans": "三星生物制剂 · 松岛生物产业集群",
        "hosts_ko": "삼성바이오로직스 · 송도 바이오 클러스터",
        "location": "Songdo Bio Industrial Park, Yeonsu-gu, Incheon",
        "location_zh_hans": "仁川延寿区 松岛生物产业园区",
        "location_ko": "인천 연수구 송도 바이오산업단지",
        "description": "Site visit to the world's largest single-city biopharmaceutical capacity (1.16 million litres) "
        "and a meeting with Samsung Biologics; global companies in Songdo include Merck, Sartorius, "
        "Cytiva and Thermo Fisher Scientific.",
        "description_zh_hans": "实地参访全球单一城市最大的生物医药产能（116万升），并与三星生物制剂会面；"
        "落户松岛的全球企业包括默克、赛多利斯、思拓凡和赛默飞世尔科技。",
        "description_ko": "단일 도시 기준 세계 최대 바이오의약품 생산능력(116만 리터)을 현장에서 둘러보고 "
        "삼성바이오로직스와 면담합니다. 송도의 글로벌 기업으로는 머크, 사토리우스, 싸이티바, "
        "써모피셔사이언티픽이 있습니다.",
        # The reminder: the evening before at 18:00, meeting at the convention centre's bus bay.
        "reminder_at": _at(-1, 18, 0),
        "meeting_at": _at(0, 13, 30),
        "meeting_point": "Songdo Convensia, north exit, bus 2",
        "meeting_point_zh_hans": "松岛会展中心北出口，2号大巴",
        "meeting_point_ko": "송도컨벤시아 북쪽 출구, 2번 버스",
        "reminder_note": "Bring your passport: the host's security desk checks it.",
        "reminder_note_zh_hans": "请携带护照：接待方安检处将核验。",
        "reminder_note_ko": "여권을 지참하세요. 주최 측 보안 데스크에서 확인합니다.",
    },
    {
        "order": 3,
        "starts_at": _at(1, 9, 0),
        "ends_at": _at(1, 12, 0),
        "title": "Incheon Yeongjong Logistics Industrial Park and CJ Logistics",
        "title_zh_hans": "仁川永宗物流产业园区与CJ大韩通运",
        "title_ko": "인천 영종 물류산업단지 및 CJ대한통운",
        "hosts": "CJ Logistics (CJ Group)",
        "hosts_zh_hans": "CJ大韩通运（CJ集团）",
        "hosts_ko": "CJ대한통운(CJ그룹)",
        "location": "Yeongjong Logistics Industrial Park, Jung-gu, Incheon",
        "location_zh_hans": "仁川中区 永宗物流产业园区",
        "location_ko": "인천 중구 영종 물류산업단지",
        "description": "Sea-air intermodal logistics at Incheon Airport: 98,560 tonnes in 2023, 99.6% of it from China. "
        "Meeting with CJ Logistics, Korea's largest logistics company.",
        "description_zh_hans": "仁川机场的海空联运物流：2023年货量98,560吨，其中99.6%来自中国。与韩国最大物流企业CJ大韩通运会面。",
        "description_ko": "인천공항의 해상-항공 복합운송 물류: 2023년 98,560톤, 그중 99.6%가 중국발입니다. "
        "한국 최대 물류기업 CJ대한통운과 면담합니다.",
    },
    {
        "order": 4,
        "starts_at": _at(1, 14, 30),
        "ends_at": _at(1, 17, 0),
        "title": "Hyundai Group meeting: mobility and clean energy",
        "title_zh_hans": "现代集团会谈：移动出行与清洁能源",
        "title_ko": "현대그룹 미팅: 모빌리티와 청정에너지",
        "hosts": "Hyundai Group",
        "hosts_zh_hans": "现代集团",
        "hosts_ko": "현대그룹",
        "location": "Hyundai Motor Group, Seoul",
        "location_zh_hans": "首尔 现代汽车集团",
        "location_ko": "서울 현대자동차그룹",
        "description": "Automotive, autonomous driving and hydrogen: exchange with Hyundai Group executives.",
        "description_zh_hans": "汽车、自动驾驶与氢能：与现代集团高管交流。",
        "description_ko": "자동차, 자율주행, 수소: 현대그룹 경영진과 교류합니다.",
    },
    {
        "order": 5,
        "starts_at": _at(2, 9, 30),
        "ends_at": _at(2, 12, 30),
        "is_optional": True,
        "capacity": 15,
        "title": "Seoul Pharmaceutical Base",
        "title_zh_hans": "首尔制药基地",
        "title_ko": "서울 제약 기지",
        "hosts": "Seoul pharmaceutical companies",
        "hosts_zh_hans": "首尔制药企业",
        "hosts_ko": "서울 제약기업",
        "location": "Seoul Pharmaceutical Base, Seoul",
        "location_zh_hans": "首尔 首尔制药基地",
        "location_ko": "서울 제약 기지",
        "description": "Site visit and exchange with Korean pharmaceutical manufacturers.",
        "description_zh_hans": "实地参访并与韩国制药企业交流。",
        "description_ko": "현장을 방문하고 한국 제약사와 교류합니다.",
    },
    {
        "order": 6,
        "starts_at": _at(3, 10, 0),
        "ends_at": _at(3, 16, 0),
        "title": "Closing matchmaking with Korean counterparts",
        "title_zh_hans": "闭幕对接会：与韩国同行企业洽谈",
        "title_ko": "폐막 비즈니스 매칭: 한국 동종 기업과의 상담",
        "hosts": "Incheon Tech Week · AsianFin Global Business Leaders Club",
        "hosts_zh_hans": "仁川科技周 · AsianFin全球商业领袖俱乐部",
        "hosts_ko": "인천 테크위크 · AsianFin 글로벌 비즈니스 리더스 클럽",
        "location": "Songdo Convensia, Incheon",
        "location_zh_hans": "仁川 松岛会展中心",
        "location_ko": "인천 송도컨벤시아",
        "description": "One-to-one meetings between delegation companies and Korean companies in the same four fields.",
        "description_zh_hans": "代表团企业与韩国同领域企业一对一洽谈。",
        "description_ko": "대표단 기업과 같은 4개 분야의 한국 기업이 1:1로 만납니다.",
    },
]

# The organizers' questions. ``code`` is the stable name reports use (the rooming list reads hotel, room_type and roommate);
# "visit_order" names the itinerary item (by its order) whose participants are asked.
QUESTIONS = [
    {
        "code": "diet",
        "order": 1,
        "kind": "single_choice",
        "stage": "registration",
        "required": False,
        "text": "Dietary requirements",
        "text_zh_hans": "饮食要求",
        "text_ko": "식단 요청",
        "help_text": "For the caterers of the dinners and lunches.",
        "help_text_zh_hans": "供晚宴和午餐的餐饮方参考。",
        "help_text_ko": "만찬과 오찬 케이터링 준비에 사용합니다.",
        "choices": "none | No special diet | 无特殊要求 | 특별한 요청 없음\n"
        "vegetarian | Vegetarian | 素食 | 채식\n"
        "halal | Halal | 清真 | 할랄\n"
        "other | Other (tell us in the note) | 其他（请在备注中说明） | 기타 (메모에 적어 주세요)",
    },
    {
        "code": "hotel",
        "order": 2,
        "kind": "single_choice",
        "stage": "registration",
        "required": False,
        "text": "Hotel in Songdo",
        "text_zh_hans": "松岛酒店",
        "text_ko": "송도 호텔",
        "help_text": "Both are a short walk from Songdo Convensia.",
        "help_text_zh_hans": "两家酒店步行即可到达松岛会展中心。",
        "help_text_ko": "두 호텔 모두 송도컨벤시아까지 걸어서 가까운 거리입니다.",
        "choices": "sheraton | Sheraton Grand Incheon Hotel | 仁川喜来登大酒店 | 쉐라톤 그랜드 인천 호텔\n"
        "orakai | Orakai Songdo Park Hotel | 奥拉凯松岛公园酒店 | 오라카이 송도파크 호텔",
    },
    {
        "code": "room_type",
        "order": 3,
        "kind": "single_choice",
        "stage": "registration",
        "required": False,
        "text": "Hotel room preference",
        "text_zh_hans": "酒店房型偏好",
        "text_ko": "호텔 객실 선호",
        "choices": "single | Single room | 单人间 | 싱글룸\ntwin | Shared twin room | 双人标间（合住） | 트윈룸 (2인 1실)",
    },
    {
        "code": "roommate",
        "order": 4,
        "kind": "short_text",
        "stage": "travel",
        "required": False,
        "text": "Roommate (shared twin room)",
        "text_zh_hans": "同住人（合住双人间）",
        "text_ko": "룸메이트 (트윈룸)",
        "help_text": "The name of the delegate you would like to share with, if any.",
        "help_text_zh_hans": "如希望与某位团员合住，请填写其姓名。",
        "help_text_ko": "함께 묵고 싶은 대표단원이 있으면 이름을 적어 주세요.",
    },
    {
        "code": "airport_pickup",
        "order": 5,
        "kind": "yes_no",
        "stage": "travel",
        "required": True,
        "text": "Do you need a pickup at Incheon Airport?",
        "text_zh_hans": "是否需要仁川机场接机？",
        "text_ko": "인천공항 픽업이 필요하십니까?",
    },
    {
        "code": "samsung_topics",
        "order": 6,
        "kind": "multiple_choice",
        "stage": "visit",
        "visit_order": 2,
        "required": False,
        "text": "Which Samsung Biologics topics interest you?",
        "text_zh_hans": "您对三星生物制剂的哪些话题感兴趣？",
        "text_ko": "삼성바이오로직스의 어떤 주제에 관심이 있으십니까?",
        "choices": "cdmo | Contract development and manufacturing (CDMO) | 合同研发生产（CDMO） | 위탁개발생산 (CDMO)\n"
        "adc | Antibody-drug conjugates | 抗体偶联药物 | 항체-약물 접합체 (ADC)\n"
        "plant | The new Bio Campus plants | 新建生物园区工厂 | 신규 바이오 캠퍼스 공장\n"
        "partnering | Partnering with Chinese biotech | 与中国生物科技企业合作 | 중국 바이오 기업과의 협력",
    },
]

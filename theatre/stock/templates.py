"""The template gallery: preset scripts in English and Simplified Chinese, each with roles (and the
stock character cast by default), shots and lines. `load_stock` writes them as Script rows."""
from dataclasses import dataclass, field

from theatre.script.parser import seconds_needed

LANGUAGES = ("en", "zh-hans")
PERSON, PET, CARTOON, OBJECT = "person", "pet", "cartoon", "object"


@dataclass(frozen=True)
class TemplateRole:
    key: str
    names: dict
    descriptions: dict
    kinds: list
    stock_key: str  # the stock character cast by default


@dataclass(frozen=True)
class TemplateShot:
    framing: str
    camera_move: str
    role_keys: list
    actions: dict
    lines: list = field(default_factory=list)  # [(role key, English text, Chinese text)]
    seconds: float = 3.0

    def dialogue(self, language):
        index = LANGUAGES.index(language) + 1
        return [{"role": line[0], "text": line[index]} for line in self.lines]

    def duration(self, language):
        """The planned length, raised if this language's lines need longer."""
        return max(self.seconds, seconds_needed(self.dialogue(language)))


@dataclass(frozen=True)
class Template:
    slug: str
    titles: dict
    loglines: dict
    roles: list
    shots: list
    colors: tuple  # poster gradient, top and bottom


def role(key, en, zh, kinds, stock_key, about_en, about_zh):
    return TemplateRole(key, {"en": en, "zh-hans": zh}, {"en": about_en, "zh-hans": about_zh}, kinds, stock_key)


def shot(framing, move, keys, en, zh, seconds=3.0, lines=()):
    return TemplateShot(framing, move, keys, {"en": en, "zh-hans": zh}, list(lines), seconds)


def text(en, zh):
    return {"en": en, "zh-hans": zh}


TEMPLATES = [
    Template(
        "paris-window-guitar", text("A Song for Paris", "巴黎窗前的吉他"),
        text("At night, by a window over Paris, a musician picks up a guitar.", "夜晚的巴黎窗前，一位乐手拿起了吉他。"),
        [role("musician", "The musician", "乐手", [PERSON, CARTOON], "robot",
              "plays the guitar by a window over Paris", "在巴黎的窗前弹吉他")],
        [
            shot("medium", "static", ["musician"],
                 "Medium shot: @musician stands with their back to the camera at the floor-to-ceiling window of a "
                 "Paris apartment, looking out over the Eiffel Tower at night.",
                 "中景描绘@musician背对镜头，站在巴黎公寓的落地窗前俯瞰夜晚的埃菲尔铁塔", 4.0),
            shot("close_up", "push_in", ["musician"], "Close-up on the hands: @musician picks up a guitar.",
                 "转为手部特写，@musician拿起一把吉他", 3.0),
            shot("close_up", "static", ["musician"],
                 "Close-up on the face: @musician holds the guitar with a tender, moving expression.",
                 "人物表情特写，@musician抱着吉他做出深情表情", 4.0,
                 [("musician", "This one is for you, Paris.", "这首歌，献给巴黎。")]),
        ],
        ("#1d2b64", "#f8cdda"),
    ),
    Template(
        "you-and-your-cat", text("You and Your Cat", "你和你的猫"),
        text("A lazy sunny afternoon on the sofa, together.", "一个阳光慵懒的午后，你和猫咪在沙发上。"),
        [role("you", "You", "你", [PERSON], "grandmother", "the cat's favourite human", "猫咪最喜欢的人"),
         role("cat", "Your cat", "你的猫", [PET], "cat", "a cat who loves naps and ear scratches", "爱睡觉、爱被挠耳朵的猫")],
        [
            shot("wide", "static", ["you", "cat"],
                 "Wide shot: a sunny living room; @you reads on the sofa while @cat naps on a cushion.",
                 "远景，阳光洒满客厅，@you 在沙发上看书，@cat 在靠垫上打盹。", 3.0),
            shot("medium", "push_in", ["cat", "you"], "@cat wakes up, stretches and jumps onto @you's lap.",
                 "@cat 醒来伸了个懒腰，跳到 @you 的腿上。", 3.0),
            shot("close_up", "static", ["you", "cat"], "Close-up: @you scratches @cat behind the ears and smiles.",
                 "特写，@you 挠着 @cat 的耳朵，笑了。", 3.0, [("you", "Who's a good cat?", "谁是最乖的小猫呀？")]),
            shot("extreme_close_up", "static", ["cat"], "Extreme close-up: @cat purrs with half-closed eyes.",
                 "大特写，@cat 眯着眼睛打呼噜。", 2.5, [("cat", "Purr... meow.", "呼噜……喵～")]),
        ],
        ("#f6d365", "#fda085"),
    ),
    Template(
        "knights-duel", text("The Knight's Duel", "骑士的决斗"),
        text("A brave knight, a fearsome dragon, and a very small misunderstanding.", "勇敢的骑士、可怕的巨龙，和一个小小的误会。"),
        [role("knight", "The knight", "骑士", [PERSON, CARTOON], "knight", "brave, a little clumsy", "勇敢，有点笨手笨脚"),
         role("dragon", "The dragon", "巨龙", [CARTOON, PET], "dragon", "looks fierce, loves sweets", "看起来很凶，其实爱吃甜食")],
        [
            shot("wide", "pan", ["knight", "dragon"],
                 "Wide shot, a slow pan across a misty castle courtyard: @knight faces @dragon.",
                 "远景，镜头横摇过雾气中的城堡庭院，@knight 与 @dragon 对峙。", 3.0),
            shot("over_the_shoulder", "static", ["knight", "dragon"],
                 "Over the shoulder of @knight: @dragon puffs a tiny flame.", "过肩镜头，越过 @knight 的肩膀，@dragon 喷出一小簇火苗。",
                 3.0, [("knight", "Stand back, beast!", "退下，怪兽！")]),
            shot("medium", "orbit", ["dragon", "knight"], "@dragon and @knight circle each other as the camera orbits.",
                 "镜头环绕，@dragon 和 @knight 互相绕着圈。", 3.5,
                 [("dragon", "Wait! I only wanted a marshmallow.", "等等！我只是想烤个棉花糖。")]),
            shot("close_up", "static", ["knight"], "Close-up: @knight laughs and holds out a marshmallow on the sword.",
                 "特写，@knight 笑着用剑递上一颗棉花糖。", 3.0, [("knight", "Then let's share.", "那我们一起吃吧。")]),
        ],
        ("#43cea2", "#185a9d"),
    ),
    Template(
        "space-walk", text("Space Walk", "太空漫步"),
        text("Outside the station, Earth glows below.", "空间站外，地球在脚下发光。"),
        [role("astronaut", "The astronaut", "宇航员", [PERSON, CARTOON], "astronaut", "on a first space walk", "第一次太空行走"),
         role("robot", "Robot sidekick", "机器人助手", [CARTOON, OBJECT], "robot", "checks everything twice", "凡事检查两遍")],
        [
            shot("wide", "pull_out", ["astronaut"],
                 "Wide shot: @astronaut floats outside the space station, Earth glowing below; the camera pulls out.",
                 "远景，@astronaut 漂浮在空间站外，脚下是发光的地球，镜头缓缓拉远。", 4.0),
            shot("medium", "static", ["robot"], "Medium shot: @robot waves from the airlock window.",
                 "中景，@robot 在气闸舱的窗口挥手。", 3.0, [("robot", "Tether check: all good!", "安全绳检查：一切正常！")]),
            shot("close_up", "push_in", ["astronaut"], "Close-up on @astronaut's helmet, Earth reflected in the visor.",
                 "特写，@astronaut 的头盔面罩上倒映着地球。", 3.0, [("astronaut", "It's so quiet up here.", "这里真安静。")]),
        ],
        ("#0f2027", "#2c5364"),
    ),
    Template(
        "grandmas-kitchen", text("Grandma's Kitchen", "奶奶的厨房"),
        text("Flour everywhere, and the best dumplings in the world.", "满屋面粉，和世界上最好吃的饺子。"),
        [role("grandma", "Grandma", "奶奶", [PERSON], "grandmother", "the best cook in the family", "家里厨艺最好的人"),
         role("helper", "The little helper", "小帮手", [PET, CARTOON, PERSON], "cat", "eager, not very helpful", "很积极，但帮倒忙")],
        [
            shot("full", "static", ["grandma", "helper"],
                 "Full shot: @grandma kneads dough in a warm kitchen while @helper watches from the counter.",
                 "全景，温暖的厨房里，@grandma 在揉面团，@helper 在灶台边好奇地看着。", 4.0),
            shot("close_up", "static", ["helper"], "Close-up: flour puffs up as @helper pats the dough.",
                 "特写，@helper 拍了拍面团，面粉飞扬。", 3.0),
            shot("medium", "push_in", ["grandma", "helper"], "@grandma laughs and wipes the flour off @helper's nose.",
                 "@grandma 笑着擦掉 @helper 鼻子上的面粉。", 4.0,
                 [("grandma", "Little chef, you're covered in flour!", "小厨师，你满身都是面粉啦！")]),
        ],
        ("#ffecd2", "#fcb69f"),
    ),
    Template(
        "dragon-birthday", text("Dragon's Birthday", "小龙的生日"),
        text("One candle, one wish, one very hot breath.", "一根蜡烛，一个愿望，一口太烫的气。"),
        [role("dragon", "The birthday dragon", "过生日的小龙", [CARTOON, PET], "dragon", "turns one hundred today", "今天满一百岁"),
         role("guest", "The guest", "客人", [], "knight", "brought the cake", "带来了蛋糕")],
        [
            shot("medium", "static", ["guest", "dragon"], "Medium shot: @guest carries a cake with one candle towards @dragon.",
                 "中景，@guest 端着插着一根蜡烛的蛋糕走向 @dragon。", 3.0, [("guest", "Happy birthday!", "生日快乐！")]),
            shot("close_up", "push_in", ["dragon"], "Close-up: @dragon takes a very deep breath.",
                 "特写，@dragon 深深地吸了一口气。", 3.0),
            shot("wide", "static", ["dragon", "guest"],
                 "Wide shot: @dragon blows, the whole cake bursts into flames, and @guest's eyebrows are singed.",
                 "远景，@dragon 一吹，整个蛋糕燃起大火，@guest 的眉毛被烤焦了。", 4.0,
                 [("dragon", "Oops. Again?", "哎呀，再来一次？")]),
        ],
        ("#f093fb", "#f5576c"),
    ),
    Template(
        "robot-barista", text("Robot Barista", "机器人咖啡师"),
        text("The smallest café in town has the most precise latte art.", "城里最小的咖啡馆，有最精准的拉花。"),
        [role("barista", "The barista", "咖啡师", [CARTOON, OBJECT], "robot", "makes coffee with great precision", "做咖啡极其精确"),
         role("customer", "The customer", "顾客", [PERSON, CARTOON, PET], "astronaut", "needs coffee, now", "急需一杯咖啡")],
        [
            shot("wide", "pan", ["barista"], "Wide shot, panning across a tiny café: @barista spins between the machines.",
                 "远景，镜头摇过小小的咖啡馆，@barista 在咖啡机之间旋转。", 4.0),
            shot("over_the_shoulder", "static", ["customer", "barista"], "Over the shoulder of @customer at the counter, facing @barista.",
                 "过肩镜头，@customer 站在柜台前，面对 @barista。", 3.0, [("customer", "One latte, please.", "一杯拿铁，谢谢。")]),
            shot("close_up", "push_in", ["barista"], "Close-up: @barista draws a heart in the milk foam.",
                 "特写，@barista 在奶泡上拉出一颗心。", 3.0, [("barista", "Latte art, calibrated.", "拉花，已校准。")]),
        ],
        ("#c79081", "#dfa579"),
    ),
    Template(
        "detective-rooftop", text("Rooftop Detective", "天台侦探"),
        text("Rain, neon, and a missing fish.", "雨夜、霓虹，和一条失踪的鱼。"),
        [role("detective", "The detective", "侦探", [PERSON, PET, CARTOON], "cat", "never lets a case go cold", "从不放过任何案子"),
         role("suspect", "The suspect", "嫌疑人", [CARTOON, OBJECT, PERSON], "robot", "was seen near the fish market", "有人在鱼市附近见过他")],
        [
            shot("wide", "orbit", ["detective"], "Wide shot, a rooftop at night in the rain; the camera orbits @detective under a neon sign.",
                 "远景，雨夜的天台，镜头环绕霓虹灯下的 @detective。", 4.0),
            shot("medium", "static", ["suspect", "detective"], "Medium shot: @suspect steps out of the shadows, holding a stolen fish.",
                 "中景，@suspect 从阴影中走出，手里拿着一条偷来的鱼。", 3.0, [("detective", "Drop the fish.", "把鱼放下。")]),
            shot("close_up", "push_in", ["suspect"], "Close-up: @suspect looks down, guilty.", "特写，@suspect 心虚地低下头。",
                 3.0, [("suspect", "It was for my cat.", "这是给我的猫的。")]),
        ],
        ("#232526", "#414345"),
    ),
]
BY_SLUG = {template.slug: template for template in TEMPLATES}

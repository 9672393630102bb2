# Writes the demo workspaces (portal-workspace/v1). Run: python3 demo/generate.py
import json, base64, os
here = os.path.dirname(os.path.abspath(__file__))
PNG = base64.b64encode(bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d6b3a00000000049454e44ae426082")).decode()
TXT = base64.b64encode("Order 1042: 3 x Widget, 1 x Gadget\n".encode()).decode()

def world(lang):
    ja = lang == "ja"
    T = (lambda en, j: j if ja else en)
    ws = {"id": "sakura" if ja else "acme", "name": T("Acme Inc.", "さくら商事"),
          "branding": {"primaryColor": "#0b6bcb" if not ja else "#c2185b", "accentColor": "#ff7a59" if not ja else "#f48fb1"}}
    agents = [
        {"id": "u1", "name": T("Hana Sato", "佐藤 花"), "email": "hana@%s.test" % ws["id"], "permissions": ["portal.settings", "tickets.work"], "password": "admin-demo-2026"},
        {"id": "u2", "name": T("Taro Suzuki", "鈴木 太郎"), "email": "taro@%s.test" % ws["id"], "permissions": ["tickets.work"], "password": "agent-demo-2026"},
        # P-AGT-5: the settings permission alone does not open the agent workspace.
        {"id": "u3", "name": T("Kai Mori", "森 海"), "email": "kai@%s.test" % ws["id"], "permissions": ["portal.settings"], "password": "settings-demo-2026"},
    ]
    companies = [{"id": "c1", "name": T("Globex Corporation", "グローベックス株式会社")}, {"id": "c2", "name": T("Initech", "イニテック")}]
    contacts = [
        {"id": "p1", "email": "ken@globex.test", "firstName": T("Ken", "健"), "lastName": T("Ito", "伊藤"), "primaryCompanyId": "c1", "password": "customer-demo-2026"},
        {"id": "p2", "email": "yuki@globex.test", "firstName": T("Yuki", "由紀"), "lastName": T("Tanaka", "田中"), "primaryCompanyId": "c1", "password": "customer-demo-2026"},
        {"id": "p3", "email": "mia@initech.test", "firstName": "Mia", "lastName": "Novak", "primaryCompanyId": "c2", "password": "customer-demo-2026"},
        {"id": "p4", "email": "solo@example.test", "firstName": T("Sam", "翔"), "lastName": T("Solo", "山本")},
    ]
    lists = [{"id": "l1", "name": T("Priority customers", "優先顧客"), "contactIds": ["p1", "p3"]}]
    pipelines = [
        {"id": "support", "label": T("Support pipeline", "サポート"), "stages": [
            {"id": "new", "label": T("New", "新規"), "state": "open"},
            {"id": "waiting", "label": T("Waiting on us", "対応中"), "state": "open"},
            {"id": "waiting-customer", "label": T("Waiting on customer", "お客様の返信待ち"), "state": "open"},
            {"id": "closed", "label": T("Closed", "クローズ"), "state": "closed"}]},
        {"id": "billing", "label": T("Billing", "請求"), "stages": [
            {"id": "open", "label": T("Open", "受付"), "state": "open"},
            {"id": "resolved", "label": T("Resolved", "解決済み"), "state": "closed"},
            {"id": "rejected", "label": T("Rejected", "却下"), "state": "closed"}]},
        {"id": "internal", "label": T("Internal", "社内"), "stages": [
            {"id": "todo", "label": "To do", "state": "open"}, {"id": "done", "label": "Done", "state": "closed"}]},
    ]
    inboxes = [{"id": "ib1", "name": T("Support inbox", "サポート受信トレイ"), "kind": "helpdesk"}, {"id": "ib2", "name": T("Sales inbox", "営業受信トレイ"), "kind": "inbox"}]
    forms = [
        {"id": "f1", "name": T("Support request", "サポート依頼"), "inboxId": "ib1", "fields": [
            {"name": "subject", "label": T("Subject", "件名"), "type": "text", "required": True, "ticketProperty": "subject"},
            {"name": "content", "label": T("Describe the problem", "内容"), "type": "textarea", "required": True, "ticketProperty": "content"},
            {"name": "category", "label": T("Category", "カテゴリー"), "type": "select", "options": ["billing", "bug", "question"], "required": False, "ticketProperty": "category"},
            {"name": "orderNumber", "label": T("Order number", "注文番号"), "type": "text", "required": False, "ticketProperty": None}]},
        {"id": "f2", "name": T("Newsletter sign-up", "ニュースレター登録"), "inboxId": None, "fields": [
            {"name": "email", "label": "Email", "type": "email", "required": True, "ticketProperty": None}]},
    ]
    subjects = [
        ("t1", T("Invoice is wrong", "請求書の金額が違います"), T("The October invoice lists 12 seats; we have 10.", "10月の請求書に12席と記載されていますが、契約は10席です。"), "billing", "open", "u1", "p1", ["p1"], ["c1"], {"category": "billing", "priority": "high"}),
        ("t2", T("Cannot export reports", "レポートをエクスポートできません"), T("Export to CSV fails with an error since yesterday.", "昨日からCSVエクスポートがエラーになります。"), "support", "waiting", "u2", "p1", ["p1"], ["c1"], {"category": "bug"}),
        ("t3", T("Question about SSO", "SSOについての質問"), T("Do you support Okta?", "Oktaに対応していますか?"), "support", "closed", "u1", "p2", ["p2"], ["c1"], {"category": "question"}),
        ("t4", T("Dashboard is slow", "ダッシュボードが遅い"), T("Loading the dashboard takes 20 seconds.", "ダッシュボードの表示に20秒かかります。"), "support", "new", None, "p2", ["p2"], ["c1"], {"category": "bug", "priority": "low"}),
        ("t5", T("Refund for duplicate charge", "二重請求の返金"), T("We were charged twice in September.", "9月に二重に請求されました。"), "billing", "resolved", "u1", "p3", ["p3"], ["c2"], {"category": "billing"}),
        ("t6", T("Add a new user", "ユーザーの追加"), T("Please add mia2@initech.test.", "mia2@initech.test を追加してください。"), "support", "waiting-customer", "u2", "p3", ["p3"], ["c2"], {}),
        ("t7", T("Password policy", "パスワードポリシー"), T("Can we require 2FA?", "二要素認証を必須にできますか?"), "support", "new", None, "p4", ["p4"], [], {"category": "question"}),
        ("t8", T("Internal: renewal forecast", "社内: 更新予測"), T("Internal only.", "社内専用。"), "internal", "todo", "u1", None, ["p1"], ["c1"], {"category": "internal"}),
        ("t9", T("Company-wide outage report", "全社的な障害報告"), T("Several colleagues cannot log in.", "複数の社員がログインできません。"), "support", "waiting", "u1", None, [], ["c1"], {"priority": "high"}),
        ("t10", T("Shipping address update", "配送先住所の変更"), T("New address: 1-2-3 Shibuya.", "新住所: 渋谷1-2-3"), "support", "closed", "u2", "p1", ["p1"], ["c1"], {}),
    ]
    tickets, threads, notes = [], [], []
    day = 1
    for (tid, subj, content, pipe, stage, owner, req, cids, coids, props) in subjects:
        created = "2026-10-%02dT09:%02d:00Z" % (day, day)
        last = "2026-10-%02dT15:30:00Z" % (day + 2)
        t = {"id": tid, "subject": subj, "content": content, "pipelineId": pipe, "stageId": stage,
             "createdAt": created, "lastActivityAt": last, "properties": props, "contactIds": cids, "companyIds": coids}
        if owner: t["ownerId"] = owner
        if req: t["requesterId"] = req
        tickets.append(t)
        day += 2
    def th(id, tid, ch, inbox, created, msgs):
        threads.append({"id": id, "ticketId": tid, "channel": ch, "inboxId": inbox, "createdAt": created, "messages": msgs})
    def m(id, at, author, text, kind="message", att=None):
        x = {"id": id, "createdAt": at, "kind": kind, "author": author, "text": text}
        if att: x["attachments"] = att
        return x
    C = lambda i: {"type": "contact", "id": i}
    A = lambda i: {"type": "agent", "id": i}
    th("th1", "t1", "email", "ib1", "2026-10-01T09:01:00Z", [
        m("m1", "2026-10-01T09:01:00Z", C("p1"), T("Hello, the October invoice is wrong. See the attached order list.", "こんにちは。10月の請求書が間違っています。注文一覧を添付します。"), att=[{"name": "orders.txt", "contentType": "text/plain", "dataBase64": TXT}]),
        m("m2", "2026-10-01T10:00:00Z", A("u1"), T("Checking with finance, please ignore.", "経理に確認中(社内コメント)"), kind="comment"),
        m("m3", "2026-10-02T11:00:00Z", A("u1"), T("Thanks Ken, we are correcting the invoice and will send a new one today.", "伊藤様、請求書を修正し本日中に再送いたします。"))])
    th("th1b", "t1", "email", None, "2026-10-01T08:00:00Z", [
        m("m4", "2026-10-01T08:00:00Z", A("u1"), T("Forwarded from a private address (never shown).", "個人アドレスからの転送(表示されません)"))])
    th("th1c", "t1", "chat", "ib1", "2026-10-03T08:00:00Z", [
        m("m5", "2026-10-03T08:00:00Z", C("p1"), T("Later chat thread (not the original).", "後から始まったチャット(元のスレッドではありません)"))])
    th("th2", "t2", "chat", "ib1", "2026-10-03T09:03:00Z", [
        m("m6", "2026-10-03T09:03:00Z", C("p1"), T("Export fails with 'Error 500'. Screenshot attached.", "エクスポートが「エラー500」で失敗します。スクリーンショットを添付します。"), att=[{"name": "screenshot.png", "contentType": "image/png", "dataBase64": PNG}]),
        m("m7", "2026-10-04T12:00:00Z", A("u2"), T("We reproduced it and a fix is on its way.", "再現できました。修正を準備しています。"))])
    th("th3", "t3", "form", "ib1", "2026-10-05T09:05:00Z", [
        m("m8", "2026-10-05T09:05:00Z", C("p2"), T("Do you support Okta?", "Oktaに対応していますか?")),
        m("m9", "2026-10-06T09:00:00Z", A("u1"), T("Yes, through SAML 2.0 and OpenID Connect.", "はい、SAML 2.0 と OpenID Connect で対応しています。"))])
    th("th5", "t5", "email", "ib2", "2026-10-09T09:09:00Z", [
        m("m10", "2026-10-09T09:09:00Z", C("p3"), T("We were charged twice.", "二重に請求されました。")),
        m("m11", "2026-10-10T09:00:00Z", A("u1"), T("Refunded, sorry for the trouble.", "返金いたしました。ご迷惑をおかけしました。"))])
    th("th7", "t7", "messenger", "ib1", "2026-10-13T09:13:00Z", [
        m("m12", "2026-10-13T09:13:00Z", C("p4"), T("Can we require 2FA for everyone?", "全員に二要素認証を必須にできますか?"))])
    notes.append({"id": "n1", "ticketId": "t1", "authorId": "u1", "createdAt": "2026-10-01T10:05:00Z", "text": T("Customer is on the annual plan.", "年間プランのお客様")})
    portal = {
        "enabled": True, "pageTitle": T("Acme Support", "さくら商事 サポート"), "ticketLabel": T("Requests", "お問い合わせ"), "slug": "tickets",
        "access": {"method": "membership", "registration": "self"},
        "consent": {"noticeText": T("Acme processes your data to answer your requests.", "お問い合わせへの対応のため、当社はお客様の情報を処理します。"),
                    "checkboxLabel": T("I agree to let Acme process my data.", "情報の処理に同意します。"), "legalUrl": "https://example.com/privacy"},
        "ticketScope": "company",
        "ticketFilters": [{"property": "pipelineId", "operator": "notIn", "values": ["internal"]}],
        "actions": {"allowReplyToClosed": False, "allowClose": True, "closedStageByPipeline": {"billing": "resolved"}},
        "defaultInboxId": "ib1", "statusDisplay": "openClosed",
        "supportForm": {"formId": "f1", "menuText": T("New request", "新しいお問い合わせ"), "headerText": T("How can we help?", "どのようなご用件でしょうか?")},
        "navigation": [{"label": T("Help center", "ヘルプセンター"), "url": "https://example.com/help"}],
        "idleTimeoutMinutes": 60,
        "timeZone": T("UTC", "Asia/Tokyo")}
    return {"format": "portal-workspace/v1", "workspace": ws,
            "domains": [{"host": "127.0.0.1" if ja else "localhost", "language": lang}],
            "agents": agents, "companies": companies, "contacts": contacts, "lists": lists, "pipelines": pipelines,
            "inboxes": inboxes, "forms": forms, "tickets": tickets, "threads": threads, "notes": notes, "portal": portal}

for lang, name in (("en", "acme.en.json"), ("ja", "sakura.ja.json")):
    with open(os.path.join(here, name), "w") as f:
        json.dump(world(lang), f, ensure_ascii=False, indent=2)
        f.write("\n")

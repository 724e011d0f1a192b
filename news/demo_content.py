"""Demo posts, documents and albums, written for the demo association (people are made up)."""

from __future__ import annotations

HOAT_DONG = "Hoạt động Hội"
XHHT = "Xây dựng xã hội học tập"
KHUYEN_TAI = "Khuyến tài và học bổng"
GUONG = "Gương sáng hiếu học"

CATEGORIES = [HOAT_DONG, XHHT, KHUYEN_TAI, GUONG]

NL = "Hội Khuyến học thị xã Nghĩa Lộ"
TINH = "Hội Khuyến học tỉnh Yên Bái"

# (category, unit, days ago, time, title, lead, paragraphs, byline, featured, photo captions)
POSTS: list[tuple[str, str, int, str, str, str, list[str], str, bool, list[str]]] = [
    (
        HOAT_DONG,
        NL,
        2,
        "07:00",
        "Khuyến học thị xã Nghĩa Lộ tổng kết năm, đặt mục tiêu mới cho năm học tập suốt đời",
        "Hơn 120 đại biểu của {communes} xã, phường cùng các Ban khuyến học cơ quan đã cùng "
        "nhìn lại "
        "một năm làm việc và thống nhất năm nhóm nhiệm vụ cho năm tới.",
        [
            "Hội nghị diễn ra tại Hội trường Trung tâm Chính trị thị xã, dưới sự chủ trì của "
            "Thường trực Hội. Báo cáo tổng kết cho biết toàn thị xã duy trì {communes} Hội cơ sở, "
            "{branches} chi hội và {committees} Ban khuyến học trong lực lượng vũ trang, y tế.",
            "Điểm sáng của năm là số hộ đăng ký danh hiệu Gia đình học tập tăng rõ so với năm "
            "trước; nhiều dòng họ người Thái ở các xã vùng lòng chảo Mường Lò lần đầu lập quỹ "
            "khuyến học riêng.",
            "Hội nghị thống nhất tiếp tục bám sát Kết luận 49-KL/TW, rà soát tiêu chí đánh giá "
            "mô hình học tập theo văn bản mới và đưa việc cập nhật số liệu của từng chi hội lên "
            "cổng thông tin để cấp trên theo dõi kịp thời.",
        ],
        "Tin và ảnh: Hà Thị Bình",
        True,
        ["Đại biểu dự hội nghị tổng kết", "Trao giấy khen cho các tập thể tiêu biểu"],
    ),
    (
        HOAT_DONG,
        TINH,
        5,
        "09:30",
        "Đoàn công tác tỉnh hội kiểm tra sáu tháng tại ba huyện phía Đông",
        "Trong ba ngày, Thường trực Hội Khuyến học tỉnh làm việc với Trấn Yên, Văn Yên và Lục Yên, "
        "nghe báo cáo và trực tiếp xuống một xã của mỗi huyện.",
        [
            "Tại mỗi nơi, đoàn nghe Thường trực huyện hội báo cáo kết quả nửa đầu năm, sau đó "
            "làm việc với lãnh đạo Đảng ủy, Ủy ban nhân dân và Mặt trận của xã Kiên Thành, xã "
            "Đại Sơn và xã Khai Trung.",
            "Đoàn ghi nhận các huyện hội đã tham mưu để cấp ủy, chính quyền ra văn bản triển khai "
            "Quyết định 489/QĐ-TTg, đồng thời chủ động vận động doanh nghiệp góp quỹ giúp học "
            "sinh nghèo.",
            "Kết thúc đợt kiểm tra, đoàn đề nghị các huyện chú ý chất lượng hơn số lượng khi công "
            "nhận danh hiệu, và gửi báo cáo năm đúng hạn trước ngày 15/12.",
        ],
        "Tin và ảnh: Triệu Văn Khánh",
        False,
        ["Đoàn kiểm tra làm việc tại xã Kiên Thành"],
    ),
    (
        HOAT_DONG,
        NL,
        8,
        "15:20",
        "Cụm thi đua số I giao ban, chia sẻ cách duy trì lớp học cộng đồng",
        "Bảy Hội cơ sở trong cụm thi đua số I gặp nhau tại xã Nghĩa Lợi để đối chiếu tiến độ và "
        "học cách làm của nhau.",
        [
            "Mỗi Hội cơ sở có mười phút trình bày những việc đã làm, những chỗ còn vướng. Câu "
            "chuyện được nhắc nhiều nhất là làm sao giữ học viên ở lại các lớp tin học, tiếng "
            "Anh cho người lớn tuổi sau vài buổi đầu.",
            "Xã Nghĩa Lợi chia sẻ cách chia lớp theo giờ làm đồng của bà con, còn phường Pú Trạng "
            "mời chính học sinh cấp ba làm trợ giảng cho ông bà.",
            "Kết thúc buổi giao ban, cụm thống nhất luân phiên đăng cai và gửi ảnh hoạt động lên "
            "cổng thông tin của Hội.",
        ],
        "Tin: Lò Văn Cường",
        False,
        [],
    ),
    (
        HOAT_DONG,
        "Hội Khuyến học phường Pú Trạng",
        11,
        "08:15",
        "Phường Pú Trạng kiện toàn ban chấp hành, bầu chủ tịch mới",
        "Hội nghị đại biểu Hội Khuyến học phường đã bầu 11 ủy viên ban chấp hành nhiệm kỳ mới.",
        [
            "Ban chấp hành mới có bốn cán bộ nữ và hai người là giáo viên đã nghỉ hưu, có kinh "
            "nghiệm tổ chức lớp học cộng đồng.",
            "Chủ tịch mới nhận nhiệm vụ trước hết là đi đến từng tổ dân phố để nắm danh sách hộ "
            "đăng ký Gia đình học tập năm nay.",
        ],
        "Tin và ảnh: Hoàng Thị Dung",
        False,
        [],
    ),
    (
        HOAT_DONG,
        "Hội Khuyến học huyện Trấn Yên",
        14,
        "10:00",
        "Trấn Yên tập huấn nghiệp vụ cho 60 cán bộ khuyến học cơ sở",
        "Một ngày tập huấn tập trung vào cách ghi sổ theo dõi, chấm điểm mô hình học tập và lập "
        "báo cáo định kỳ.",
        [
            "Giảng viên là cán bộ Thường trực huyện hội, hướng dẫn từng bước từ lúc hộ gia đình "
            "đăng ký đến khi xã ra quyết định công nhận.",
            "Phần thực hành được học viên đánh giá cao: mỗi nhóm nhận một bộ hồ sơ mẫu và tự chấm "
            "điểm, rồi so kết quả với nhau.",
        ],
        "Tin: Nguyễn Thị Lan",
        False,
        [],
    ),
    (
        HOAT_DONG,
        "Hội Khuyến học xã Hạnh Sơn",
        17,
        "14:00",
        "Hạnh Sơn sơ kết sáu tháng: quỹ khuyến học đạt hơn 80 triệu đồng",
        "Nhờ các chi hội thôn, bản cùng vào cuộc, quỹ khuyến học của xã tăng gần một phần ba so "
        "với cùng kỳ.",
        [
            "Nguồn quỹ chủ yếu đến từ đóng góp của hội viên, các dòng họ và con em quê "
            "hương đi làm "
            "xa gửi về.",
            "Hội cơ sở dự kiến dùng phần lớn số tiền để trao học bổng đầu năm học và mua sách cho "
            "tủ sách ở nhà văn hóa các bản.",
        ],
        "Tin và ảnh: Đinh Văn Sơn",
        False,
        [],
    ),
    (
        HOAT_DONG,
        "Hội Khuyến học huyện Văn Yên",
        21,
        "16:45",
        "Văn Yên hưởng ứng cuộc thi tìm hiểu về xây dựng xã hội học tập",
        "Hơn 3.000 bài dự thi đã được gửi về từ các chi hội, trường học và Ban khuyến học cơ quan "
        "trên địa bàn huyện.",
        [
            "Cuộc thi giúp hội viên hiểu rõ hơn các chủ trương lớn về học tập suốt đời, trong đó "
            "có Quyết định 1373/QĐ-TTg về xây dựng xã hội học tập giai đoạn 2021 - 2030.",
            "Ban tổ chức sẽ chọn các bài tốt nhất gửi lên tỉnh dự vòng chung khảo.",
        ],
        "Tin: Vũ Quang Huy",
        False,
        [],
    ),
    (
        HOAT_DONG,
        "Hội Khuyến học xã Sơn A",
        25,
        "07:30",
        "Sơn A ra mắt chi hội khuyến học dòng họ Cầm",
        "Chi hội thứ sáu của xã ra đời với 46 hội viên và một quỹ khởi đầu do chính con cháu "
        "trong họ góp.",
        [
            "Trưởng họ cho biết mỗi năm họ sẽ dành một buổi vào dịp đầu xuân để khen con cháu học "
            "giỏi, thi đỗ.",
            "Hội Khuyến học xã tặng chi hội mới một tủ sách và bộ hồ sơ "
            "hướng dẫn đăng ký danh hiệu "
            "Dòng họ học tập.",
        ],
        "Tin và ảnh: Cầm Thị Nga",
        False,
        [],
    ),
    (
        XHHT,
        NL,
        3,
        "08:00",
        "Nghĩa Lộ có {family_recognised} hộ đạt danh hiệu Gia đình học tập năm {year}",
        "Trong {family_registered} hộ đăng ký năm {year}, {family_recognised} hộ đã được công "
        "nhận danh hiệu Gia đình học tập.",
        [
            "Các chi hội thôn, tổ dân phố đã đến từng nhà để giải thích tiêu chí, nhất là tiêu chí "
            "về việc học của người lớn trong gia đình chứ không chỉ việc học của con trẻ.",
            "Cùng năm có {clan_registered} dòng họ đăng ký Dòng họ học tập và "
            "{community_registered} thôn, tổ dân phố đăng ký Cộng đồng học tập.",
            "Cuối năm, Hội cơ sở sẽ đánh giá theo thang điểm và đề nghị Ủy ban nhân dân cấp xã "
            "công nhận.",
        ],
        "Tin: Hà Thị Bình",
        False,
        ["Cán bộ chi hội hướng dẫn hộ gia đình đăng ký"],
    ),
    (
        XHHT,
        "Hội Khuyến học xã Nghĩa Lợi",
        6,
        "19:30",
        "Dòng họ Lò ở Nghĩa Lợi giữ lệ khen con cháu học giỏi mỗi dịp Tết",
        "Ba năm liền được công nhận Dòng họ học tập, họ Lò vẫn duy trì quỹ riêng và sổ vàng ghi "
        "tên con cháu đỗ đạt.",
        [
            "Quỹ của dòng họ hiện có gần 50 triệu đồng, mỗi năm trích ra khen thưởng và giúp những "
            "cháu nhà khó khăn đi học xa.",
            "Người già trong họ tham gia câu lạc bộ đọc sách ở nhà văn hóa bản, còn "
            "thanh niên thay "
            "nhau hướng dẫn các cụ dùng điện thoại thông minh.",
        ],
        "Tin và ảnh: Lò Văn Cường",
        False,
        [],
    ),
    (
        XHHT,
        "Hội Khuyến học phường Trung Tâm",
        9,
        "10:10",
        "Phường Trung Tâm thí điểm đánh giá Công dân học tập",
        "Hơn 200 người dân ở hai tổ dân phố tự chấm điểm theo bộ tiêu chí Công dân học tập.",
        [
            "Bộ tiêu chí gồm mười chỉ số, tổng điểm 100, người đạt từ 80 điểm trở lên được đề nghị "
            "công nhận.",
            "Hội cơ sở cho biết phần khó nhất với người dân là chỉ số về kỹ năng số; phường sẽ mở "
            "thêm lớp ngắn ngày vào buổi tối.",
        ],
        "Tin: Phạm Thị Thu",
        False,
        [],
    ),
    (
        XHHT,
        "Hội Khuyến học huyện Lục Yên",
        12,
        "09:00",
        "Lục Yên: Trung tâm học tập cộng đồng mở 35 lớp chuyên đề",
        "Các lớp trồng quế, chăn nuôi, an toàn giao thông và pháp luật thu hút hơn 1.800 lượt "
        "người học.",
        [
            "Hội Khuyến học huyện phối hợp với các trung tâm học tập cộng đồng chọn nội dung sát "
            "với mùa vụ của từng xã.",
            "Nhiều học viên đã áp dụng kỹ thuật mới ngay trên nương quế của gia đình.",
        ],
        "Tin: Hoàng Văn Minh",
        False,
        [],
    ),
    (
        XHHT,
        "Hội Khuyến học xã Nghĩa Phúc",
        15,
        "08:40",
        "Nghĩa Phúc có thêm bốn bản đạt Cộng đồng học tập",
        "Quyết định công nhận được trao tại ngày hội đại đoàn kết của các bản.",
        [
            "Để đạt danh hiệu, mỗi bản phải có tỷ lệ hộ Gia đình học tập cao, nhà văn hóa có tủ "
            "sách và duy trì sinh hoạt câu lạc bộ.",
            "Xã đặt mục tiêu đến cuối năm sau toàn bộ các bản đều đạt danh hiệu.",
        ],
        "Tin và ảnh: Hà Văn Thắng",
        False,
        [],
    ),
    (
        XHHT,
        NL,
        19,
        "15:00",
        "Ban khuyến học Công an thị xã được công nhận Đơn vị học tập",
        "Đơn vị đầu tiên trong lực lượng vũ trang của thị xã đạt danh hiệu sau một năm xây dựng.",
        [
            "Cán bộ, chiến sĩ đăng ký học nâng cao trình độ lý luận, ngoại ngữ và tin học; nhiều "
            "người đã hoàn thành chương trình đại học vừa làm vừa học.",
            "Ban khuyến học của đơn vị còn nhận đỡ đầu năm học sinh nghèo ở xã vùng cao.",
        ],
        "Tin: Đinh Đức Long",
        False,
        [],
    ),
    (
        XHHT,
        "Hội Khuyến học huyện Trấn Yên",
        23,
        "11:00",
        "Trấn Yên rà soát tiêu chí Cộng đồng học tập cấp xã",
        "Huyện hội cùng phòng giáo dục hướng dẫn các xã tự đánh giá "
        "theo Thông tư 25/2023/TT-BGDĐT.",
        [
            "Việc rà soát giúp các xã thấy rõ tiêu chí nào còn thiếu trước khi đề nghị công nhận.",
            "Nhiều xã cần bổ sung hồ sơ về lớp học cộng đồng và tỷ lệ người biết chữ ở độ tuổi "
            "15 đến 60.",
        ],
        "Tin: Trần Thị Hạnh",
        False,
        [],
    ),
    (
        KHUYEN_TAI,
        NL,
        4,
        "16:00",
        "Trao 150 suất học bổng cho học sinh vượt khó đầu năm học",
        "Mỗi suất học bổng trị giá một triệu đồng, kèm sách vở và áo ấm cho các em ở xã vùng cao.",
        [
            "Nguồn học bổng do doanh nghiệp trên địa bàn, cán bộ hưu trí và các Ban khuyến học cơ "
            "quan đóng góp.",
            "Các em được chọn đều có hoàn cảnh khó khăn nhưng giữ kết quả học tập khá, giỏi.",
            "Hội thị xã đề nghị các chi hội nhà trường tiếp tục theo dõi việc học của các em trong "
            "cả năm, không chỉ trao một lần.",
        ],
        "Tin và ảnh: Hà Thị Bình",
        False,
        ["Học sinh nhận học bổng", "Đại biểu chụp ảnh lưu niệm"],
    ),
    (
        KHUYEN_TAI,
        "Hội Khuyến học huyện Văn Yên",
        10,
        "08:30",
        "Văn Yên khen thưởng học sinh đạt giải học sinh giỏi cấp tỉnh",
        "Hơn 70 học sinh và 20 giáo viên được tặng giấy khen và phần thưởng.",
        [
            "Tổng giá trị phần thưởng gần 60 triệu đồng, lấy từ quỹ khuyến học của huyện.",
            "Buổi lễ cũng là dịp để các em chia sẻ cách tự học và ôn luyện.",
        ],
        "Tin: Vũ Thị Mai",
        False,
        [],
    ),
    (
        KHUYEN_TAI,
        "Hội Khuyến học xã Phù Nham",
        13,
        "17:10",
        "Phù Nham: quỹ khuyến học dòng họ góp sức đưa trẻ đến trường",
        "Năm dòng họ trong xã cam kết lo đủ sách vở cho con em khó khăn trước ngày khai giảng.",
        [
            "Các trưởng họ tự đi xem hoàn cảnh từng cháu để quyết định mức hỗ trợ.",
            "Hội cơ sở ghi nhận cách làm này và sẽ giới thiệu tại buổi giao ban cụm thi đua.",
        ],
        "Tin: Lường Văn Tuấn",
        False,
        [],
    ),
    (
        KHUYEN_TAI,
        TINH,
        18,
        "09:00",
        "Tỉnh hội trao học bổng cho sinh viên người dân tộc thiểu số",
        "Ba mươi sinh viên đang học đại học, cao đẳng nhận học bổng mỗi suất ba triệu đồng.",
        [
            "Học bổng ưu tiên các em là người dân tộc thiểu số ở vùng đặc biệt khó khăn.",
            "Nhiều em hứa sau khi ra trường sẽ quay về làm việc tại quê hương.",
        ],
        "Tin và ảnh: Triệu Văn Khánh",
        False,
        [],
    ),
    (
        KHUYEN_TAI,
        "Hội Khuyến học phường Tân An",
        22,
        "14:30",
        "Tân An trao tặng 200 bộ sách giáo khoa cho học sinh lớp một",
        "Những bộ sách mới được trao tận tay các em trong ngày hội đến trường.",
        [
            "Sách do cán bộ hưu trí trong phường quyên góp, cùng một số doanh nghiệp hỗ trợ.",
            "Hội cơ sở cũng tặng thêm cặp sách cho các em có bố mẹ đi làm ăn xa.",
        ],
        "Tin: Nguyễn Văn Thắng",
        False,
        [],
    ),
    (
        KHUYEN_TAI,
        "Hội Khuyến học xã Thạch Lương",
        27,
        "10:20",
        "Thạch Lương khen thưởng học sinh đỗ đại học",
        "Mười hai tân sinh viên của xã được tặng quà và lời chúc trước khi nhập học.",
        [
            "Đây là năm xã có nhiều học sinh đỗ đại học nhất, trong đó có hai em đỗ trường y.",
            "Hội cơ sở mong các em giữ liên lạc để sau này làm tấm gương cho các em nhỏ.",
        ],
        "Tin: Hà Thị Lan",
        False,
        [],
    ),
    (
        GUONG,
        "Hội Khuyến học xã Nghĩa Lộ",
        7,
        "20:00",
        "Cô học trò bản Lè và giấc mơ làm bác sĩ",
        "Mồ côi cha từ nhỏ, em vẫn ba năm liền là học sinh giỏi cấp tỉnh môn Sinh học.",
        [
            "Mỗi sáng em dậy từ năm giờ giúp mẹ nấu cơm rồi đạp xe gần bảy cây số đến trường.",
            "Chi hội khuyến học bản Lè và dòng họ đã góp tiền mua cho em chiếc xe đạp mới cùng bộ "
            "sách tham khảo.",
        ],
        "Tin và ảnh: Lò Thị Hồng",
        False,
        [],
    ),
    (
        GUONG,
        NL,
        16,
        "19:00",
        "Cựu giáo chức 80 tuổi vẫn mở lớp dạy chữ Thái cổ",
        "Mỗi tối thứ Bảy, căn nhà sàn của ông lại rộn tiếng trẻ em đánh vần chữ Thái.",
        [
            "Ông đã dạy miễn phí hơn mười khóa, mỗi khóa hai mươi học viên đủ mọi lứa tuổi.",
            "Hội Khuyến học thị xã đề nghị tỉnh hội tặng ông kỷ niệm chương Vì sự nghiệp khuyến "
            "học.",
        ],
        "Tin: Đinh Thị Hoa",
        False,
        [],
    ),
    (
        GUONG,
        "Hội Khuyến học huyện Lục Yên",
        20,
        "18:00",
        "Người thợ mỏ học xong đại học ở tuổi 45",
        "Vừa đi làm ca, anh vừa theo học hệ vừa làm vừa học và tốt nghiệp loại khá.",
        [
            "Anh nói điều thôi thúc mình là muốn các con thấy học không bao giờ là muộn.",
            "Gia đình anh năm nay được công nhận Gia đình học tập tiêu biểu của xã.",
        ],
        "Tin: Hoàng Văn Minh",
        False,
        [],
    ),
    (
        GUONG,
        "Hội Khuyến học phường Cầu Thia",
        24,
        "07:45",
        "Gia đình ba thế hệ cùng đăng ký Công dân học tập",
        "Ông bà học dùng điện thoại, bố mẹ học nghề, các cháu học ngoại ngữ: cả nhà cùng học.",
        [
            "Gia đình treo một bảng nhỏ ở phòng khách để ghi việc học của từng người trong tuần.",
            "Tổ dân phố chọn gia đình làm điển hình để giới thiệu trong đợt đăng ký năm tới.",
        ],
        "Tin và ảnh: Phạm Thị Thu",
        False,
        [],
    ),
    (
        GUONG,
        "Hội Khuyến học huyện Trấn Yên",
        28,
        "09:15",
        "Thầy giáo vùng cao mang thư viện lên bản",
        "Hơn 1.500 đầu sách được thầy quyên góp và chở lên bốn điểm trường lẻ.",
        [
            "Thầy nhờ bạn bè khắp nơi gửi sách cũ, rồi tự tay đóng kệ, dán nhãn.",
            "Các em học sinh giờ được mượn sách về nhà đọc cùng bố mẹ.",
        ],
        "Tin: Nguyễn Đức Long",
        False,
        [],
    ),
]

# (number, form, issuer, issued, effective or None, summary)
DOCUMENTS: list[tuple[str, str, str, str, str | None, str]] = [
    (
        "49-KL/TW",
        "ket-luan",
        "Ban Bí thư Trung ương Đảng",
        "2022-05-10",
        "2022-05-10",
        "Kết luận về tiếp tục thực hiện Chỉ thị 11-CT/TW của Bộ Chính trị khóa X về đẩy mạnh "
        "công tác khuyến học, khuyến tài, xây dựng xã hội học tập.",
    ),
    (
        "489/QĐ-TTg",
        "quyet-dinh",
        "Thủ tướng Chính phủ",
        "2019-04-25",
        "2019-04-25",
        "Ban hành Kế hoạch thực hiện Kết luận 49-KL/TW của Ban Bí thư về khuyến học, khuyến tài, "
        "xây dựng xã hội học tập.",
    ),
    (
        "387/QĐ-TTg",
        "quyet-dinh",
        "Thủ tướng Chính phủ",
        "2022-03-25",
        "2022-03-25",
        "Phê duyệt Đề án Đẩy mạnh xây dựng mô hình học tập trong gia đình, dòng họ, cộng đồng, "
        "đơn vị giai đoạn 2021 - 2030.",
    ),
    (
        "677/QĐ-TTg",
        "quyet-dinh",
        "Thủ tướng Chính phủ",
        "2022-06-03",
        "2022-06-03",
        "Phê duyệt Đề án Đẩy mạnh xây dựng mô hình Công dân học tập giai đoạn 2021 - 2030.",
    ),
    (
        "1373/QĐ-TTg",
        "quyet-dinh",
        "Thủ tướng Chính phủ",
        "2021-07-30",
        "2021-07-30",
        "Phê duyệt Đề án Xây dựng xã hội học tập giai đoạn 2021 - 2030.",
    ),
    (
        "25/2023/TT-BGDĐT",
        "thong-tu",
        "Bộ Giáo dục và Đào tạo",
        "2023-12-28",
        "2024-02-12",
        "Quy định đánh giá, xếp loại Cộng đồng học tập cấp xã.",
    ),
    (
        "11-CT/TW",
        "chi-thi",
        "Bộ Chính trị",
        "2007-04-13",
        "2007-04-13",
        "Chỉ thị về đẩy mạnh công tác khuyến học, khuyến tài, xây dựng xã hội học tập.",
    ),
    (
        "244/QĐ-KHVN",
        "quyet-dinh",
        "Hội Khuyến học Việt Nam",
        "2022-09-20",
        "2022-09-20",
        "Ban hành tiêu chí và hướng dẫn đánh giá, công nhận Công dân học tập.",
    ),
    (
        "448/QĐ-KHVN",
        "quyet-dinh",
        "Hội Khuyến học Việt Nam",
        "2020-12-01",
        "2021-01-01",
        "Ban hành tiêu chí đánh giá, công nhận danh hiệu Gia đình học tập, Dòng họ học tập.",
    ),
    (
        "127/KH-UBND",
        "ke-hoach",
        "Ủy ban nhân dân tỉnh Yên Bái",
        "2019-07-05",
        "2019-07-05",
        "Kế hoạch thực hiện Quyết định 489/QĐ-TTg trên địa bàn tỉnh.",
    ),
    (
        "15/HD-HKH",
        "huong-dan",
        "Hội Khuyến học tỉnh Yên Bái",
        "2024-01-15",
        "2024-01-15",
        "Hướng dẫn đăng ký, đánh giá và báo cáo kết quả xây dựng các mô hình học tập năm 2024.",
    ),
    (
        "32/TB-HKH",
        "thong-bao",
        "Hội Khuyến học thị xã Nghĩa Lộ",
        "2024-11-20",
        None,
        "Thông báo thời hạn gửi báo cáo năm về mô hình học tập trước ngày 15/12.",
    ),
]

# Figures in braces ({communes}, {family_registered}, {year}…) are filled from the demo's own
# units and registrations when the posts are loaded, so a post never contradicts the figures.

# (title, unit, description, photo captions, public)
ALBUMS: list[tuple[str, str, str, list[str], bool]] = [
    (
        "Hội nghị tổng kết công tác khuyến học năm {this_year}",
        NL,
        "Một số hình ảnh tại hội nghị tổng kết của Hội Khuyến học thị xã.",
        [
            "Quang cảnh hội nghị",
            "Đại biểu phát biểu chỉ đạo",
            "Trao kỷ niệm chương",
            "Tập thể được khen thưởng",
            "Tham luận của Hội cơ sở",
            "Chụp ảnh lưu niệm",
        ],
        True,
    ),
    (
        "Ngày hội trao học bổng cho học sinh vượt khó",
        NL,
        "Các em học sinh vùng cao nhận học bổng đầu năm học.",
        [
            "Các em học sinh chờ nhận học bổng",
            "Đại biểu trao học bổng",
            "Niềm vui của các em",
            "Phụ huynh dự buổi lễ",
            "Văn nghệ chào mừng",
        ],
        True,
    ),
    (
        "Lễ tuyên dương học sinh giỏi năm học {this_year}",
        NL,
        "Ảnh đang được chọn, chưa công khai.",
        ["Học sinh giỏi nhận giấy khen", "Phụ huynh chúc mừng các em"],
        False,
    ),
]

# Posts at each step of the editorial workflow, so that an editor sees it at work:
# (state, unit, category, days from now, title, lead, paragraphs, returned with this reason)
WORKFLOW_POSTS: list[tuple[str, str, str, int, str, str, list[str], str]] = [
    (
        "draft",
        NL,
        KHUYEN_TAI,
        0,
        "Chuẩn bị Lễ tuyên dương học sinh giỏi cấp thị xã",
        "Thường trực Hội thị xã họp bàn danh sách và chương trình buổi lễ.",
        ["Bản nháp: còn chờ danh sách học sinh do các Hội cơ sở gửi lên."],
        "",
    ),
    (
        "submitted",
        "Hội Khuyến học xã Nghĩa Lợi",
        HOAT_DONG,
        0,
        "Xã Nghĩa Lợi trao quà cho học sinh vượt khó đầu năm học",
        "Các chi hội thôn, bản cùng nhà trường chọn những em có hoàn cảnh khó khăn nhất.",
        ["Hội Khuyến học xã gửi tin lên Hội thị xã duyệt trước khi đăng."],
        "",
    ),
    (
        "returned",
        "Hội Khuyến học phường Pú Trạng",
        HOAT_DONG,
        0,
        "Phường Pú Trạng ra mắt tủ sách cộng đồng ở tổ dân phố",
        "Người dân góp sách để các em có chỗ đọc sau giờ học.",
        ["Tin đã được gửi duyệt và được trả lại để bổ sung."],
        "Bổ sung ảnh và ghi rõ tên người trong ảnh trước khi đăng.",
    ),
    (
        "scheduled",
        NL,
        HOAT_DONG,
        2,
        "Thông báo lịch nhận hồ sơ xét học bổng năm học mới",
        "Hồ sơ nộp tại Hội Khuyến học các xã, phường trong giờ hành chính.",
        ["Tin hẹn giờ: tự hiện trên trang vào 07:00 ngày đã định."],
        "",
    ),
]
